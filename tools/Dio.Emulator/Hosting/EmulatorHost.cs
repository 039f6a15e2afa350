using System.Net;
using System.Net.Sockets;
using Dio.Emulator.Api;
using Dio.Emulator.Engine.Engine;
using Dio.Emulator.Engine.Hardware;
using Dio.Emulator.Serving;

namespace Dio.Emulator.Hosting;

/// <summary>Builds the emulator: one Kestrel listener per emulated server on consecutive ports, one set of
/// endpoints that dispatch on the port a request arrived on.</summary>
public static class EmulatorHost
{
    public static WebApplication Build(EmulatorOptions options, string[]? args = null)
    {
        var gpus = FleetSpec.Parse(options.Fleet);
        var ports = options.Port == 0 ? FreePorts(gpus.Count) : Enumerable.Range(options.Port, gpus.Count).ToArray();
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";   // wins over an appsettings.json in the content root
        builder.Configuration["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
        var address = IPAddress.Parse(options.Host);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var port in ports)
            {
                kestrel.Listen(address, port);
            }
        });

        var servers = gpus.Select((gpu, i) => new EmulatedServer(i, new EngineOptions(gpu)
        {
            MaxModelLen = options.MaxModelLen,
            PrefixCaching = options.PrefixCaching,
            Seed = options.Seed + i,
        }, options.Model, options.MaxModelLen, options.TimeScale, TimeProvider.System)).ToList();
        var fleet = new EmulatedFleet(servers);
        for (var i = 0; i < ports.Length; i++)
        {
            fleet.Bind(ports[i], servers[i]);
        }

        builder.Services.AddSingleton(fleet);
        builder.Services.AddSingleton(TimeProvider.System);
        var app = builder.Build();
        app.MapCompletionEndpoints();
        app.MapServerEndpoints();
        app.MapMetricsEndpoint();
        app.Lifetime.ApplicationStopped.Register(() => fleet.DisposeAsync().AsTask().GetAwaiter().GetResult());
        return app;
    }

    /// <summary>Base URLs of the servers, in fleet order.</summary>
    public static IReadOnlyList<Uri> Urls(WebApplication app, EmulatorOptions options) =>
        [.. app.Services.GetRequiredService<EmulatedFleet>().ByPort.OrderBy(p => p.Value.Index).Select(p => new Uri($"http://{options.Host}:{p.Key}"))];

    /// <summary>Free ports for servers started later (tests, the demo, child processes): see <see cref="Dio.Ports.FreePorts"/>.</summary>
    public static int[] FreePorts(int count) => Dio.Ports.FreePorts.Take(count);
}
