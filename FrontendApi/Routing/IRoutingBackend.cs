using Dio.Grains;

namespace Dio.FrontendApi.Routing;

/// <summary>How the gateway reaches the control plane. One blocking call per request (<see cref="RouteAsync"/>);
/// every report after it is one-way and never delays the client.</summary>
public interface IRoutingBackend
{
    /// <summary>The request's one blocking grain call: Routed (with a lease), Shed or Reject.</summary>
    ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken);

    /// <summary>The first byte of a routed request arrived (one-way), <paramref name="ttftMs"/> after dispatch for a
    /// stream (0 when unknown: a plain answer's first byte is its last).</summary>
    void Started(string model, in RouteOutcome outcome, double ttftMs);

    /// <summary>Closes the lease with what was measured (one-way); the router tells the worker what to learn.</summary>
    void Complete(string model, in CompletionReport report);

    /// <summary>Telemetry a sidecar piggybacked on a response (one-way).</summary>
    void ReportTelemetry(string workerId, WorkerTelemetry telemetry);

    /// <summary>Models with at least one registered worker, healthy or not (cached for a second).</summary>
    ValueTask<IReadOnlyList<string>> ServedModelsAsync(CancellationToken cancellationToken);

    /// <summary>Whether at least one worker is healthy (readiness).</summary>
    ValueTask<bool> AnyHealthyAsync(CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="model"/> is served: asked on every request, so it must be cheap and must not
    /// create anything for an unknown name (a hostile model string).</summary>
    ValueTask<bool> ServesAsync(string model, CancellationToken cancellationToken);

    /// <summary>Models in the cached fleet list, without asking the control plane (a metrics scrape reads it).</summary>
    int KnownModels { get; }
}
