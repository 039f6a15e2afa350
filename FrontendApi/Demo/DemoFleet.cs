using Dio.Emulator.Hosting;
using Dio.Emulator.Serving;
using Dio.Sidecar.Hosting;

namespace Dio.FrontendApi.Demo;

/// <summary>
/// <c>--demo</c>: an emulated heterogeneous fleet in this process — one emulated vLLM per GPU, each behind a real
/// Sidecar that registers with the gateway's embedded silo over HTTP, exactly as in production. Stopped with the
/// gateway.
/// </summary>
internal sealed class DemoFleet : IAsyncDisposable
{
    public const string DefaultFleet = "1xA100-80GB,2xL4,1xT4";

    private readonly WebApplication _emulator;
    private readonly List<WebApplication> _sidecars;

    private DemoFleet(WebApplication emulator, List<WebApplication> sidecars, IReadOnlyList<DemoWorker> workers)
    {
        _emulator = emulator;
        _sidecars = sidecars;
        Workers = workers;
    }

    public IReadOnlyList<DemoWorker> Workers { get; }

    public static async Task<DemoFleet> StartAsync(Uri gateway, string sidecarToken, string fleet, double timeScale, CancellationToken cancellationToken)
    {
        var options = new EmulatorOptions { Fleet = fleet, Port = 0, TimeScale = timeScale };
        var emulator = EmulatorHost.Build(options);
        await emulator.StartAsync(cancellationToken);
        var servers = emulator.Services.GetRequiredService<EmulatedFleet>().Servers;
        var upstreams = EmulatorHost.Urls(emulator, options);
        var ports = EmulatorHost.FreePorts(upstreams.Count);
        var sidecars = new List<WebApplication>();
        var workers = new List<DemoWorker>();
        for (var i = 0; i < upstreams.Count; i++)
        {
            // Options are built lazily, after this loop: capture this iteration's values, not the loop variable.
            var upstream = upstreams[i];
            var gpu = servers[i].Engine.Options.Gpu.Name;
            var workerId = $"{gpu.ToLowerInvariant()}-{i}";
            var maxNumSeqs = servers[i].Engine.Options.ResolvedMaxNumSeqs;
            var publicUrl = new Uri($"http://127.0.0.1:{ports[i]}");
            var sidecar = SidecarHost.Build([], o =>
            {
                o.Upstream = upstream;
                o.SiloUrl = gateway;
                o.Token = sidecarToken;
                o.PublicUrl = publicUrl;
                o.WorkerId = workerId;
                o.GpuName = gpu;
                o.MaxNumSeqs = maxNumSeqs;
            }, [publicUrl.ToString()], quiet: true);
            await sidecar.StartAsync(cancellationToken);
            sidecars.Add(sidecar);
            workers.Add(new DemoWorker(workerId, gpu, upstream, publicUrl));
        }

        return new DemoFleet(emulator, sidecars, workers);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sidecar in _sidecars)
        {
            await sidecar.StopAsync();
            await sidecar.DisposeAsync();
        }

        await _emulator.StopAsync();
        await _emulator.DisposeAsync();
    }
}

/// <summary>One worker of the demo fleet: its id, GPU, emulated vLLM and the sidecar in front of it.</summary>
internal sealed record DemoWorker(string WorkerId, string Gpu, Uri Emulator, Uri Sidecar);
