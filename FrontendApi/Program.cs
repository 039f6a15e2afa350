using System.Security.Cryptography;
using Dio.FrontendApi.Demo;
using Dio.FrontendApi.Hosting;

var launch = GatewayLaunch.Parse(args);
var sidecarToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
var app = GatewayHost.Build(launch, builder =>
{
    if (launch.Demo)
    {
        // The demo's sidecars register over HTTP like real ones; they share a token made for this run.
        builder.Configuration["Silo:SidecarToken"] ??= sidecarToken;
        builder.Configuration["Silo:AdminKey"] ??= Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    }
});

await app.StartAsync();
var address = GatewayHost.Address(app);
DemoFleet? fleet = null;
if (launch.Demo)
{
    fleet = await DemoFleet.StartAsync(address, app.Configuration["Silo:SidecarToken"]!, launch.Fleet, launch.TimeScale, app.Lifetime.ApplicationStopping);
    Console.WriteLine($$"""

        DIO gateway on {{address}}  (embedded silo, emulated fleet: {{string.Join(", ", fleet.Workers.Select(w => w.Gpu))}})
          Swagger UI:  {{new Uri(address, "/swagger")}}
          Fleet page:  {{new Uri(address, "/fleet")}}   (opened here, it needs no key; elsewhere it asks for the admin key)
          Metrics:     {{new Uri(address, "/metrics")}}
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

/// <summary>Entry point; public for WebApplicationFactory tests.</summary>
public partial class Program;
