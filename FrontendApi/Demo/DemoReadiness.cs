using Dio.Grains;

namespace Dio.FrontendApi.Demo;

/// <summary>
/// The demo's banner promises a curl that works, so it waits until every emulated worker is registered in the
/// fleet and healthy (its sidecar registered and the worker grain read its first telemetry).
/// </summary>
internal static class DemoReadiness
{
    public static async Task WaitAsync(IServiceProvider services, int workers, CancellationToken cancellationToken)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await ReadyAsync(grains) < workers)
        {
            await poll.WaitForNextTickAsync(cancellationToken);
        }
    }

    private static async Task<int> ReadyAsync(IGrainFactory grains)
    {
        var entries = await grains.GetGrain<IFleetRegistryGrain>(IFleetRegistryGrain.Key).ListAsync();
        var snapshots = await Task.WhenAll(entries.Select(e => grains.GetGrain<IWorkerGrain>(e.WorkerId).GetSnapshotAsync()));
        return snapshots.Count(s => s is { Healthy: true, Telemetry: not null });
    }
}
