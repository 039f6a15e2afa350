using System.Collections.Concurrent;
using Dio.Grains.Policies;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dio.Grains.Routing;

/// <summary>
/// The in-process grain factory: one grain per key, activated on first use (Orleans' virtual actors, in one
/// process). GetOrAdd factories have no side effects, so a lost race only discards an unused instance.
/// </summary>
internal sealed class GrainDirectory : IGrainDirectory, IRouterPools
{
    private readonly ConcurrentDictionary<string, WorkerGrain> _workers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RouterGrain> _routers = new(StringComparer.Ordinal);
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Func<string, WorkerGrain?> _findWorker;

    private readonly Func<SchedulerOptions, IRoutingPolicy> _createPolicy;

    /// <param name="options">Scheduling constants and the policy name.</param>
    /// <param name="timeProvider">The clock (virtual in tests and the simulator).</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="createPolicy">Builds each pool's policy; by default from <see cref="SchedulerOptions.Policy"/>.
    /// The simulator passes its oracle here.</param>
    public GrainDirectory(SchedulerOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null,
        Func<SchedulerOptions, IRoutingPolicy>? createPolicy = null)
    {
        _createPolicy = createPolicy ?? (o => RoutingPolicyFactory.Create(o.Policy, o));
        if (createPolicy is null && !RoutingPolicyFactory.IsKnown(options.Policy))
        {
            throw new ArgumentException(
                $"Unknown routing policy '{options.Policy}'. Known: {string.Join(", ", RoutingPolicyNames.All)}.", nameof(options));
        }

        _options = options;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _findWorker = id => _workers.GetValueOrDefault(id);
    }

    public IReadOnlyCollection<string> WorkerIds => [.. _workers.Where(w => w.Value.State is not null).Select(w => w.Key)];

    public IReadOnlyCollection<string> Models => [.. _routers.Keys];

    public IWorkerGrain GetWorker(string workerId) => GetWorkerGrain(workerId);

    /// <summary>Every worker grain activated so far (the persister walks them).</summary>
    internal IEnumerable<WorkerGrain> WorkerGrains => _workers.Values;

    public IRouterGrain GetRouter(string model) => GetPool(model);

    internal WorkerGrain GetWorkerGrain(string workerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        return _workers.GetOrAdd(workerId, static (id, self) => new WorkerGrain(id, self._options, self._timeProvider, self,
            self._loggerFactory.CreateLogger<WorkerGrain>()), this);
    }

    /// <summary>The pool of a model if it exists; never creates one.</summary>
    internal RouterGrain? FindPool(string model) => _routers.GetValueOrDefault(model);

    public RouterGrain GetPool(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return _routers.GetOrAdd(model, static (name, self) => new RouterGrain(name,
            self._createPolicy(self._options), self._options, self._timeProvider, self._findWorker), this);
    }
}
