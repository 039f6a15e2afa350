namespace Dio.Grains;

/// <summary>One vLLM endpoint: its learned speed, its KV accounting and its in-flight reservations.</summary>
public interface IWorkerGrain
{
    /// <summary>The key of this grain.</summary>
    string WorkerId { get; }

    /// <summary>Registers or re-registers the worker (idempotent) and joins its model's router pool.</summary>
    ValueTask RegisterAsync(WorkerRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>Leaves the pool; in-flight requests still complete.</summary>
    ValueTask DeregisterAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies an engine reading; reservations the reading already covers stop counting.</summary>
    ValueTask ReportTelemetryAsync(WorkerTelemetry telemetry, CancellationToken cancellationToken = default);

    /// <summary>Marks a reserved request as started (its first byte arrived), so the next reading covers it.</summary>
    ValueTask ReportStartedAsync(long reservationId, CancellationToken cancellationToken = default);

    /// <summary>Closes a reservation and, for a success, teaches the predictor.</summary>
    ValueTask CompleteAsync(CompletionReport report, CancellationToken cancellationToken = default);

    /// <summary>Sets health as judged by the silo's poller or by transport failures.</summary>
    ValueTask SetHealthAsync(bool healthy, CancellationToken cancellationToken = default);

    /// <summary>Current state; null before registration.</summary>
    ValueTask<WorkerSnapshot?> GetSnapshotAsync(CancellationToken cancellationToken = default);
}
