using Orleans.Concurrency;

namespace Dio.Grains;

/// <summary>
/// The persisted list of workers (one grain, key 0): which exist, their model, who registered them. A cold
/// cluster reads it to re-activate every worker grain and its timers; router grains read it to rebuild their pool.
/// Worker grains are its only writers.
/// </summary>
public interface IFleetRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>The registry's one key.</summary>
    public const long Key = 0;

    /// <summary>Adds or updates a worker.</summary>
    Task AddAsync(FleetEntry entry);

    /// <summary>Removes a worker; false when it was not listed.</summary>
    Task<bool> RemoveAsync(string workerId);

    /// <summary>Records a worker's health verdict (in memory; the worker grain is authoritative).</summary>
    [OneWay]
    Task SetHealthAsync(string workerId, bool healthy);

    /// <summary>Every worker, ordered by id.</summary>
    Task<FleetEntry[]> ListAsync();

    /// <summary>Activates every listed worker grain (each starts its telemetry timer and publishes its view).</summary>
    Task WakeAllAsync();
}
