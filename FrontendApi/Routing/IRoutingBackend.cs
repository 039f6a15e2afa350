using Dio.Grains;

namespace Dio.FrontendApi.Routing;

/// <summary>How the gateway reaches the control plane: the grains in this process, or a remote silo over HTTP.</summary>
public interface IRoutingBackend
{
    ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken);

    ValueTask StartedAsync(string workerId, long reservationId, CancellationToken cancellationToken);

    /// <summary>Closes the reservation; transport failures also count against the worker's health.</summary>
    ValueTask CompleteAsync(CompletionReport report, CancellationToken cancellationToken);

    /// <summary>Telemetry a sidecar piggybacked on a response.</summary>
    ValueTask ReportTelemetryAsync(string workerId, WorkerTelemetry telemetry, CancellationToken cancellationToken);

    /// <summary>Models served by at least one healthy worker.</summary>
    ValueTask<IReadOnlyList<string>> ServedModelsAsync(CancellationToken cancellationToken);

    /// <summary>The routing policy of a model's pool, for metrics ("remote" when the silo is elsewhere).</summary>
    string PolicyOf(string model);

    /// <summary>Whether a healthy worker serves <paramref name="model"/>: asked on every request, so it must be cheap.</summary>
    ValueTask<bool> ServesAsync(string model, CancellationToken cancellationToken);
}
