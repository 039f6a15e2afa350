using Orleans.Concurrency;

namespace Dio.Grains;

/// <summary>
/// One vLLM endpoint (key: worker id): its registration, health, telemetry and learned predictors, persisted. It
/// publishes a <see cref="WorkerView"/> to its model's router grain and never shares memory with it.
/// </summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Registers or re-registers the worker (idempotent): persisted, added to the fleet registry, joins its pool.</summary>
    Task<WorkerSnapshot> RegisterAsync(WorkerRegistration registration, RegistrationSource source);

    /// <summary>Leaves the pool and the registry and forgets what was learned; false when it was not registered.</summary>
    Task<bool> DeregisterAsync();

    /// <summary>A sidecar's heartbeat: false tells it to register again.</summary>
    Task<bool> HeartbeatAsync();

    /// <summary>An engine reading, piggybacked on a response or polled.</summary>
    [OneWay]
    Task ReportTelemetryAsync(WorkerTelemetry telemetry);

    /// <summary>What one closed lease teaches (from the router grain).</summary>
    [OneWay]
    Task LearnAsync(LearningSample sample);

    /// <summary>Learns from many completions at once and publishes one new view for them all.</summary>
    [OneWay]
    Task LearnManyAsync(LearningSample[] samples);

    /// <summary>Current state; null when not registered.</summary>
    Task<WorkerSnapshot?> GetSnapshotAsync();

    /// <summary>The published view; null when not registered. Router grains rebuild from these after re-activation.</summary>
    Task<WorkerView?> GetViewAsync();

    /// <summary>Activates the grain (and so its telemetry timer) if it is not; the registry calls it on a cold cluster.</summary>
    Task WakeAsync();
}
