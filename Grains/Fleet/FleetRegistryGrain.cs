using Microsoft.Extensions.Logging;

namespace Dio.Grains.Fleet;

/// <summary>
/// The fleet registry (one grain): persisted on every change of membership, so that a cold cluster knows which
/// worker grains to re-activate. Health verdicts are kept in memory only: the worker grains are authoritative and
/// re-publish them on activation.
/// </summary>
internal sealed partial class FleetRegistryGrain(
    [PersistentState("fleet", StorageNames.Dio)] IPersistentState<FleetRegistryState> saved, ILogger<FleetRegistryGrain> logger)
    : Grain, IFleetRegistryGrain
{
    private Dictionary<string, FleetEntry> Workers => saved.State.Workers;

    public async Task AddAsync(FleetEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var known = Workers.GetValueOrDefault(entry.WorkerId);
        Workers[entry.WorkerId] = entry;
        if (known is null || known.Model != entry.Model || known.Source != entry.Source)
        {
            await saved.WriteStateAsync();
        }
    }

    public async Task<bool> RemoveAsync(string workerId)
    {
        if (!Workers.Remove(workerId))
        {
            return false;
        }

        await saved.WriteStateAsync();
        return true;
    }

    public Task SetHealthAsync(string workerId, bool healthy)
    {
        if (Workers.TryGetValue(workerId, out var entry))
        {
            Workers[workerId] = entry with { Healthy = healthy };
        }

        return Task.CompletedTask;
    }

    public Task<FleetEntry[]> ListAsync() => Task.FromResult(Workers.Values.OrderBy(e => e.WorkerId, StringComparer.Ordinal).ToArray());

    public async Task WakeAllAsync()
    {
        var ids = Workers.Keys.ToArray();
        await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IWorkerGrain>(id).WakeAsync()));
        LogWoke(logger, ids.Length);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fleet registry woke {Count} worker grains")]
    private static partial void LogWoke(ILogger logger, int count);
}
