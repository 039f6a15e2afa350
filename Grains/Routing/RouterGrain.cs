using Dio.Grains.Observability;
using Dio.Grains.Policies;
using Dio.Grains.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Dio.Grains.Routing;

/// <summary>
/// One model pool (key: model name), a thin grain over <see cref="RoutingPool"/>: decides from the views its
/// workers push, holds the wait queue, and is the only writer of the pool's KV leases; a timer reaps leases nobody
/// renewed. Reentrant, so that a request waiting in the queue does not block the completions that would free room
/// for it; the pool itself is only touched between awaits, one turn at a time.
/// </summary>
/// <remarks>
/// Nothing here is persisted. After a re-activation (a silo died, or the grain was idle) it rebuilds its members
/// from the registry and the workers' views; open leases are lost. That is safe: a request already running shows in
/// its worker's next reading (kv_usage and running count include it), so the only room not accounted for is that of
/// requests dispatched in the last scrape period, and their late completions name leases this activation does not
/// know, which it ignores.
/// </remarks>
[Reentrant]
internal sealed partial class RouterGrain(IOptions<SchedulerOptions> options, TimeProvider time, RouterInstruments instruments,
    ILogger<RouterGrain> logger) : Grain, IRouterGrain
{
    /// <summary>Orleans' response timeout for DIO's hosts: above <see cref="RoutingPool.MaxQueueWait"/>, so a call
    /// that waits in the queue always answers itself.</summary>
    public static readonly TimeSpan GrainCallTimeout = TimeSpan.FromSeconds(60);

    private RoutingPool _pool = null!;
    private GrainReferences<IWorkerGrain>? _workers;

    private GrainReferences<IWorkerGrain> Workers => _workers ??= new(GrainFactory);

    private string Model => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        _pool = new RoutingPool(Model, RoutingPolicyFactory.Create(settings.Policy, settings), settings, time);
        instruments.Attach(_pool);
        var period = settings.LeasePeriod / 4;
        this.RegisterGrainTimer(ReapAsync, new GrainTimerCreationOptions(period, period) { KeepAlive = true });

        var registry = GrainFactory.GetGrain<IFleetRegistryGrain>(IFleetRegistryGrain.Key);
        var members = (await registry.ListAsync()).Where(e => string.Equals(e.Model, Model, StringComparison.Ordinal)).ToList();
        var views = await Task.WhenAll(members.Select(e => GrainFactory.GetGrain<IWorkerGrain>(e.WorkerId).GetViewAsync()));
        foreach (var view in views)
        {
            if (view is not null && string.Equals(view.Registration.Model, Model, StringComparison.Ordinal))
            {
                _pool.Apply(view);
            }
        }

        LogActivated(logger, Model, _pool.Members.Length, _pool.PolicyName);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        instruments.Detach(_pool);   // its leases die with it; the next activation exports its own
        return Task.CompletedTask;
    }

    /// <summary>Decides, timing the decision itself and the request's time in the queue. A decision that needs no queue
    /// completes synchronously, and its metrics allocate nothing (stack-only tags).</summary>
    public ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var pending = _pool.RouteAsync(request, cancellationToken);
        var decided = time.GetTimestamp();
        instruments.DecisionTook(_pool, time.GetElapsedTime(started, decided));
        if (!pending.IsCompletedSuccessfully)
        {
            return WaitInQueueAsync(pending, decided);
        }

        var outcome = pending.Result;
        instruments.Decided(_pool, outcome);
        instruments.Waited(_pool, TimeSpan.Zero);   // every request is in the wait histogram: its quantiles are per request
        return new ValueTask<RouteOutcome>(outcome);
    }

    private async ValueTask<RouteOutcome> WaitInQueueAsync(ValueTask<RouteOutcome> pending, long queuedAt)
    {
        try
        {
            var outcome = await pending;
            instruments.Decided(_pool, outcome);
            return outcome;
        }
        finally
        {
            instruments.Waited(_pool, time.GetElapsedTime(queuedAt));   // a request withdrawn by its caller waited too
        }
    }

    public Task StartedAsync(Guid leaseId, double ttftMs = 0)
    {
        if (_pool.Started(leaseId, ttftMs, out var sample, out var workerId) && workerId is not null)
        {
            _ = Workers[workerId].LearnAsync(sample);
        }

        return Task.CompletedTask;
    }

    public Task RenewAsync(Guid[] leaseIds)
    {
        ArgumentNullException.ThrowIfNull(leaseIds);
        _pool.Renew(leaseIds);
        return Task.CompletedTask;
    }

    public Task CompleteAsync(CompletionReport report)
    {
        if (Close(report, out var sample))
        {
            _ = Workers[report.WorkerId].LearnAsync(sample);
        }

        return Task.CompletedTask;
    }

    public Task CompleteManyAsync(CompletionReport[] reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        Dictionary<string, List<LearningSample>>? byWorker = null;
        foreach (var report in reports)
        {
            if (Close(report, out var sample))
            {
                byWorker ??= new(StringComparer.Ordinal);
                if (!byWorker.TryGetValue(report.WorkerId, out var samples))
                {
                    byWorker[report.WorkerId] = samples = [];
                }

                samples.Add(sample);
            }
        }

        foreach (var (workerId, samples) in byWorker ?? [])
        {
            _ = Workers[workerId].LearnManyAsync([.. samples]);   // one message and one new view per worker per batch
        }

        return Task.CompletedTask;
    }

    /// <summary>Closes the report's lease; true with what its worker must learn (a cancelled request teaches nothing).</summary>
    private bool Close(in CompletionReport report, out LearningSample sample) =>
        _pool.Complete(report, out sample) && sample.Kind != CompletionKind.Cancelled;

    public Task UpdateWorkerAsync(WorkerView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (string.Equals(view.Registration.Model, Model, StringComparison.Ordinal))
        {
            _pool.Apply(view);
        }

        return Task.CompletedTask;
    }

    public Task RemoveWorkerAsync(string workerId)
    {
        _pool.Remove(workerId);
        return Task.CompletedTask;
    }

    public Task<PoolStatus> GetStatusAsync() => Task.FromResult(new PoolStatus(Model, _pool.PolicyName, _pool.Members.Length,
        _pool.OpenLeases, _pool.QueuedRequests, _pool.ExpiredLeases, _pool.LeasesByWorker(), _pool.ReclaimedLeases));

    private Task ReapAsync(CancellationToken cancellationToken)
    {
        var expired = _pool.ExpireLeases();
        if (expired > 0)
        {
            LogLeasesExpired(logger, Model, expired);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Router for {Model} activated with {Workers} workers, policy {Policy}")]
    private static partial void LogActivated(ILogger logger, string model, int workers, string policy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router for {Model}: {Count} leases expired unrenewed (a frontend crashed or a report was lost)")]
    private static partial void LogLeasesExpired(ILogger logger, string model, int count);
}
