using Dio.Grains;
using Dio.Grains.Routing;
using Dio.Silo.Control;
using Dio.Silo.Health;

namespace Dio.FrontendApi.Routing;

/// <summary>The default: the silo runs in this process, so routing is a method call on the router grain.</summary>
internal sealed class EmbeddedRoutingBackend(IGrainDirectory grains, WorkerHealthMonitor health) : IRoutingBackend
{
    public ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken) =>
        grains.GetRouter(request.Model).RouteAsync(request, cancellationToken);

    public ValueTask StartedAsync(string workerId, long reservationId, CancellationToken cancellationToken) =>
        grains.GetWorker(workerId).ReportStartedAsync(reservationId, cancellationToken);

    public ValueTask CompleteAsync(CompletionReport report, CancellationToken cancellationToken) =>
        Completions.RecordAsync(grains, health, report, cancellationToken);

    public ValueTask ReportTelemetryAsync(string workerId, WorkerTelemetry telemetry, CancellationToken cancellationToken) =>
        grains.GetWorker(workerId).ReportTelemetryAsync(telemetry, cancellationToken);

    public async ValueTask<IReadOnlyList<string>> ServedModelsAsync(CancellationToken cancellationToken)
    {
        var served = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in grains.WorkerIds)
        {
            if (await grains.GetWorker(id).GetSnapshotAsync(cancellationToken) is { Healthy: true } snapshot)
            {
                served.Add(snapshot.Registration.Model);
            }
        }

        return [.. served];
    }

    public string PolicyOf(string model) => grains.GetRouter(model).PolicyName;

    /// <summary>Looks the pool up without creating one: a hostile model name must not allocate a router.</summary>
    public ValueTask<bool> ServesAsync(string model, CancellationToken cancellationToken) =>
        ValueTask.FromResult(((GrainDirectory)grains).FindPool(model) is { HasHealthyWorker: true });
}
