using System.Security.Cryptography;
using Dio.FrontendApi.Demo;
using Dio.FrontendApi.Hosting;
using Microsoft.Extensions.Options;

GatewayLaunch launch;
try
{
    launch = GatewayLaunch.Parse(args);
}
catch (LaunchException e)
{
    // A mistyped switch is the user's to fix: one line and the usage, no stack trace; 2 as POSIX tools do.
    await Console.Error.WriteLineAsync($"dio: {e.Message}\n{GatewayLaunch.Usage}");
    return 2;
}

var sidecarToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
WebApplication app;
try
{
    app = GatewayHost.Build(launch, builder =>
    {
        if (launch.Demo)
        {
            // The demo's sidecars register over HTTP like real ones; they share a token made for this run.
            builder.Configuration["Silo:SidecarToken"] ??= sidecarToken;
            builder.Configuration["Silo:AdminKey"] ??= Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            builder.Configuration["Silo:OpenDashboard"] ??= "true";   // the demo listens on loopback
        }
    });
    if (launch.Demo)
    {
        Console.WriteLine("Starting the gateway and its embedded silo…");
    }

    await app.StartAsync();
}
catch (Exception e) when (e is OptionsValidationException or InvalidOperationException or IOException)
{
    // A bad setting or a port in use: say which, in one line.
    await Console.Error.WriteLineAsync($"dio: cannot start: {e.Message}");
    return e is OptionsValidationException ? 2 : 1;
}

var address = GatewayHost.Address(app);
DemoFleet? fleet = null;
if (launch.Demo)
{
    Console.WriteLine($"Starting the emulated fleet ({launch.Fleet}), one vLLM emulator and sidecar per GPU…");
    fleet = await DemoFleet.StartAsync(address, app.Configuration["Silo:SidecarToken"]!, launch.Fleet, launch.TimeScale, app.Lifetime.ApplicationStopping);
    Console.WriteLine($"Waiting for {fleet.Workers.Count} workers to register and pass their first health check…");
    await DemoReadiness.WaitAsync(app.Services, fleet.Workers.Count, app.Lifetime.ApplicationStopping);
    Console.WriteLine($$"""

        DIO gateway on {{address}}  (embedded silo, emulated fleet: {{string.Join(", ", fleet.Workers.Select(w => w.Gpu))}})
          Swagger UI:  {{new Uri(address, "/swagger")}}
          Fleet page:  {{new Uri(address, "/fleet")}}   (opened here, it needs no key; elsewhere it asks for the admin key)
          Metrics:     {{new Uri(address, "/metrics")}}
          Dashboard:   {{new Uri(address, "/dashboard")}}   (Orleans: silos, grains, calls)
          Admin key:   {{app.Configuration["Silo:AdminKey"]}}   (header X-Dio-Admin-Key for /control/*)

        Try it:
          curl {{new Uri(address, "/v1/chat/completions")}} -H 'content-type: application/json' \
            -d '{"model":"meta-llama/Meta-Llama-3-8B-Instruct","messages":[{"role":"user","content":"Hello!"}],"max_tokens":32}'

        Ctrl+C stops the gateway and its emulators.
        """);
}
else
{
    Console.WriteLine($"DIO gateway on {address}  (Swagger UI: {new Uri(address, "/swagger")}, fleet page: {new Uri(address, "/fleet")})");
}

await app.WaitForShutdownAsync();
if (fleet is not null)
{
    await fleet.DisposeAsync();
}

return 0;

/// <summary>Entry point; public for WebApplicationFactory tests.</summary>
public partial class Program;
