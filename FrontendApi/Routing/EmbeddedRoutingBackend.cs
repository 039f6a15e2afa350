using Dio.Grains;
using Dio.Silo.Health;

namespace Dio.FrontendApi.Routing;

/// <summary>The default: the silo runs in this process, so routing is a method call on the router grain.</summary>
internal sealed class EmbeddedRoutingBackend(IGrainDirectory grains, WorkerHealthMonitor health) : IRoutingBackend
{
    public ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken) =>
        grains.GetRouter(request.Model).RouteAsync(request, cancellationToken);

    public ValueTask StartedAsync(string workerId, long reservationId, CancellationToken cancellationToken) =>
        grains.GetWorker(workerId).ReportStartedAsync(reservationId, cancellationToken);

    public async ValueTask CompleteAsync(CompletionReport report, CancellationToken cancellationToken)
    {
        await grains.GetRouter(await ModelOfAsync(report.WorkerId, cancellationToken) ?? string.Empty).CompleteAsync(report, cancellationToken);
        if (report.Kind is CompletionKind.FailedBeforeFirstByte or CompletionKind.FailedMidStream)
        {
            await health.OnTransportFailureAsync(report.WorkerId, cancellationToken);
        }
    }

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

    public ValueTask<bool> ServesAsync(string model, CancellationToken cancellationToken) =>
        ValueTask.FromResult(grains.Models.Contains(model) && grains.GetRouter(model) is Grains.Routing.RouterGrain { HasHealthyWorker: true });

    private async ValueTask<string?> ModelOfAsync(string workerId, CancellationToken cancellationToken) =>
        (await grains.GetWorker(workerId).GetSnapshotAsync(cancellationToken))?.Registration.Model;
}
