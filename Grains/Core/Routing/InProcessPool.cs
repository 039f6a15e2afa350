using Dio.Grains.Policies;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;

namespace Dio.Grains.Routing;

/// <summary>
/// One pool and its workers wired by direct calls: the grains' message flow (a worker publishes its view to the
/// pool; the pool closes a lease and hands the worker what to learn) without Orleans, for the virtual-time
/// simulator, the benchmarks and tests. Synchronous and deterministic; safe to call from several threads (one lock
/// over the workers, the pool has its own).
/// </summary>
internal sealed class InProcessPool
{
    private readonly Lock _turn = new();
    private readonly Dictionary<string, WorkerModel> _workers = new(StringComparer.Ordinal);
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;

    /// <param name="model">The pool's model.</param>
    /// <param name="options">Scheduling constants and the policy name.</param>
    /// <param name="time">The clock (virtual in the simulator).</param>
    /// <param name="policy">The policy; by default the one <see cref="SchedulerOptions.Policy"/> names (the simulator passes its oracle).</param>
    public InProcessPool(string model, SchedulerOptions options, TimeProvider time, IRoutingPolicy? policy = null)
    {
        _options = options;
        _time = time;
        Pool = new RoutingPool(model, policy ?? RoutingPolicyFactory.Create(options.Policy, options), options, time);
    }

    public RoutingPool Pool { get; }

    public void Register(WorkerRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (_turn)
        {
            if (!_workers.TryGetValue(registration.WorkerId, out var worker))
            {
                worker = new WorkerModel(epoch: 1, HealthRules.Default, _options.AdaptiveBlend);
                _workers.Add(registration.WorkerId, worker);
            }

            worker.Register(registration);
            Pool.Apply(worker.View!);
        }
    }

    public void ReportTelemetry(string workerId, WorkerTelemetry telemetry)
    {
        lock (_turn)
        {
            var worker = _workers[workerId];
            if (worker.ApplyTelemetry(telemetry))
            {
                Pool.Apply(worker.View!);
            }
        }
    }

    /// <summary>The first token arrived <paramref name="ttftMs"/> after dispatch: its worker learns the TTFT now.</summary>
    public void Started(Guid leaseId, double ttftMs)
    {
        if (Pool.Started(leaseId, ttftMs, out var sample, out var workerId) && workerId is not null)
        {
            Teach(workerId, sample);
        }
    }

    /// <summary>Closes the lease and teaches its worker, as the router and worker grains do.</summary>
    public void Complete(in CompletionReport report)
    {
        if (!Pool.Complete(report, out var sample) || sample.Kind == CompletionKind.Cancelled)
        {
            return;
        }

        Teach(report.WorkerId, sample);
    }

    private void Teach(string workerId, in LearningSample sample)
    {
        lock (_turn)
        {
            if (_workers.TryGetValue(workerId, out var worker) && worker.Apply(sample, _time.GetUtcNow()))
            {
                Pool.Apply(worker.View!);
            }
        }
    }

    public WorkerSnapshot? Snapshot(string workerId)
    {
        lock (_turn)
        {
            return _workers.TryGetValue(workerId, out var worker) && worker.View is { } view ? WorkerSnapshots.From(view, _time.GetUtcNow()) : null;
        }
    }
}
