using Dio.Grains;

namespace Dio.FrontendApi.Routing;

/// <summary>
/// The control plane through Orleans, the same code whether the silo runs in this process (embedded) or elsewhere
/// (this process is a cluster client): <see cref="IGrainFactory"/> hides which. Served models come from the fleet
/// registry, refreshed at most once a second and off the request path unless a name is new.
/// </summary>
internal sealed class GrainRoutingBackend(IGrainFactory grains, LeaseRenewer renewer, TimeProvider time)
    : IRoutingBackend, IDisposable
{
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly CompletionBatcher _completions = new(new GrainReferences<IRouterGrain>(grains));
    private readonly GrainReferences<IWorkerGrain> _workers = new(grains);
    private volatile Fleet? _fleet;

    /// <summary>One reference per router, shared with the completion batches.</summary>
    private GrainReferences<IRouterGrain> Routers => _completions.Routers;

    public int KnownModels => _fleet?.Models.Length ?? 0;

    public async ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken)
    {
        var outcome = await Routers[request.Model].RouteAsync(request, cancellationToken);
        if (outcome.Verdict == RouteVerdict.Routed)
        {
            renewer.Track(request.Model, outcome.LeaseId);
        }

        return outcome;
    }

    public void Started(string model, in RouteOutcome outcome, double ttftMs) =>
        _ = Routers[model].StartedAsync(outcome.LeaseId, ttftMs);

    public void Complete(string model, in CompletionReport report)
    {
        renewer.Untrack(report.LeaseId);
        _completions.Add(model, report);
    }

    public void ReportTelemetry(string workerId, WorkerTelemetry telemetry) =>
        _ = _workers[workerId].ReportTelemetryAsync(telemetry);

    public async ValueTask<IReadOnlyList<string>> ServedModelsAsync(CancellationToken cancellationToken) =>
        (await FleetAsync(force: false, cancellationToken)).Models;

    public async ValueTask<bool> AnyHealthyAsync(CancellationToken cancellationToken) =>
        (await FleetAsync(force: false, cancellationToken)).AnyHealthy;

    public async ValueTask<bool> ServesAsync(string model, CancellationToken cancellationToken)
    {
        var fleet = await FleetAsync(force: false, cancellationToken);
        if (fleet.ModelSet.Contains(model))
        {
            return true;
        }

        // A model registered within the last second must not answer 404: look once more, at most once a second.
        return (await FleetAsync(force: true, cancellationToken)).ModelSet.Contains(model);
    }

    private async ValueTask<Fleet> FleetAsync(bool force, CancellationToken cancellationToken)
    {
        var fleet = _fleet;
        if (fleet is not null && IsFresh(fleet))
        {
            return fleet;
        }

        if (fleet is not null && !force)
        {
            _ = RefreshInBackgroundAsync();   // serve the slightly old list; later requests see the new one
            return fleet;
        }

        return await RefreshAsync(wait: true, cancellationToken) ?? _fleet!;
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            await RefreshAsync(wait: false, CancellationToken.None);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
        {
            // The control plane is unreachable: the next request tries again (and its own route call reports it).
        }
    }

    private bool IsFresh(Fleet fleet) => time.GetElapsedTime(fleet.ReadAt) < FreshFor;

    private async Task<Fleet?> RefreshAsync(bool wait, CancellationToken cancellationToken)
    {
        if (!await _refresh.WaitAsync(wait ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, cancellationToken))
        {
            return _fleet;   // another request is refreshing
        }

        try
        {
            if (_fleet is { } current && IsFresh(current))
            {
                return current;
            }

            var entries = await grains.GetGrain<IFleetRegistryGrain>(IFleetRegistryGrain.Key).ListAsync();
            string[] models = [.. entries.Select(e => e.Model).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            return _fleet = new Fleet(models, models.ToHashSet(StringComparer.Ordinal), entries.Any(e => e.Healthy), time.GetTimestamp());
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose()
    {
        _completions.Flush();   // the last window's reports, on the way out
        _refresh.Dispose();
    }

    private sealed record Fleet(string[] Models, HashSet<string> ModelSet, bool AnyHealthy, long ReadAt);
}
