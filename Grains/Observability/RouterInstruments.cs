using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dio.Grains.Routing;
using Dio.Grains.Workers;

namespace Dio.Grains.Observability;

/// <summary>
/// The router grains' metrics on this silo (meter <c>Dio.Router</c>): per pool (label <c>model</c>) decisions, sheds,
/// decision time, queue length and wait, leases; per worker (labels <c>worker</c>, <c>model</c>, <c>gpu</c>) what only
/// the router counts, its in-flight requests and the KV blocks leased ahead of the readings. Each router activation
/// attaches its pool; the observable instruments read the pool's thread-safe counts when Prometheus scrapes (volatile
/// fields, or the pool's own lock for a few µs), never through a grain call. A silo exports the pools it hosts.
/// </summary>
internal sealed class RouterInstruments
{
    public const string MeterName = "Dio.Router";

    private readonly ConcurrentDictionary<string, RoutingPool> _pools = new(StringComparer.Ordinal);
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _sheds;
    private readonly Histogram<double> _decisionDuration;
    private readonly Histogram<double> _queueWait;

    public RouterInstruments(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _decisions = meter.CreateCounter<long>("dio.router.decisions", unit: "{decision}",
            description: "Final routing verdicts (Routed, Shed, Reject) by model, policy, verdict and shed reason");
        _sheds = meter.CreateCounter<long>("dio.router.sheds", unit: "{request}", description: "Shed verdicts by model and reason (503 + Retry-After; slo_unattainable is a 400)");
        _decisionDuration = meter.CreateHistogram("dio.router.decision.duration", unit: "s",
            description: "Time of one routing decision inside the router grain (the first try, before any queueing)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Decision });
        _queueWait = meter.CreateHistogram("dio.router.queue.wait", unit: "s",
            description: "Time each routing request spent in the bounded wait queue (0 when decided at once), whatever ended the wait",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.QueueWait });

        meter.CreateObservableGauge("dio.router.queue.length", () => ObservePools(static p => p.QueuedRequests),
            unit: "{request}", description: "Requests waiting in the pool's bounded queue");
        meter.CreateObservableGauge("dio.router.leases.open", () => ObservePools(static p => p.OpenLeases),
            unit: "{lease}", description: "KV leases open (routed, not yet completed, expired or dropped)");
        meter.CreateObservableCounter("dio.router.leases.expired", () => ObservePools(static p => p.ExpiredLeases),
            unit: "{lease}", description: "Leases reaped unrenewed since the router activated (a frontend crashed or a report was lost)");
        meter.CreateObservableCounter("dio.router.leases.reclaimed", () => ObservePools(static p => p.ReclaimedLeases),
            unit: "{lease}", description: "Leases given back early since the router activated, because the worker's readings stopped showing them");
        meter.CreateObservableGauge("dio.router.workers", () => ObservePools(static p => p.Members.Length),
            unit: "{worker}", description: "Members of the pool, healthy or not");
        meter.CreateObservableGauge("dio.worker.requests.in_flight", () => ObserveMembers(static s => s.InFlight),
            unit: "{request}", description: "Requests routed to the worker and not completed (the router's lease count)");
        meter.CreateObservableGauge("dio.worker.kv.blocks.reserved", () => ObserveMembers(static s => s.ReservedBlocks),
            unit: "{block}", description: "KV blocks leased for requests the worker's latest reading does not show yet");
    }

    /// <summary>Exports a router activation's pool (replacing one an earlier activation left).</summary>
    public void Attach(RoutingPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pools[pool.Model] = pool;
    }

    /// <summary>Stops exporting the pool, unless a newer activation attached its own already.</summary>
    public void Detach(RoutingPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pools.TryRemove(KeyValuePair.Create(pool.Model, pool));
    }

    /// <summary>Counts a final verdict. On the request path: the tags are a stack-only TagList of strings held already.</summary>
    public void Decided(RoutingPool pool, in RouteOutcome outcome)
    {
        var tags = new TagList
        {
            { "model", pool.Model },
            { "policy", pool.PolicyName },
            { "verdict", VerdictName(outcome.Verdict) },
            { "reason", ReasonName(outcome.ShedReason) },
        };
        _decisions.Add(1, tags);
        if (outcome.Verdict == RouteVerdict.Shed)
        {
            _sheds.Add(1, new TagList { { "model", pool.Model }, { "reason", ReasonName(outcome.ShedReason) } });
        }
    }

    public void DecisionTook(RoutingPool pool, TimeSpan elapsed) =>
        _decisionDuration.Record(elapsed.TotalSeconds, new TagList { { "model", pool.Model } });

    public void Waited(RoutingPool pool, TimeSpan elapsed) =>
        _queueWait.Record(elapsed.TotalSeconds, new TagList { { "model", pool.Model } });

    private List<Measurement<long>> ObservePools(Func<RoutingPool, long> read)
    {
        var measurements = new List<Measurement<long>>(_pools.Count);
        foreach (var pool in _pools.Values)
        {
            measurements.Add(new Measurement<long>(read(pool), new KeyValuePair<string, object?>("model", pool.Model)));
        }

        return measurements;
    }

    private List<Measurement<long>> ObserveMembers(Func<WorkerState, long> read)
    {
        var measurements = new List<Measurement<long>>();
        foreach (var pool in _pools.Values)
        {
            foreach (var member in pool.Members)
            {
                measurements.Add(new Measurement<long>(read(member), WorkerMetrics.LabelsOf(member.Registration)));
            }
        }

        return measurements;
    }

    // Enum names without Enum.ToString (which allocates), and a fixed label for values this build does not know.
    private static string VerdictName(RouteVerdict verdict) => verdict switch
    {
        RouteVerdict.Routed => nameof(RouteVerdict.Routed),
        RouteVerdict.Wait => nameof(RouteVerdict.Wait),
        RouteVerdict.Shed => nameof(RouteVerdict.Shed),
        RouteVerdict.Reject => nameof(RouteVerdict.Reject),
        _ => "Other",
    };

    private static string ReasonName(ShedReason reason) => reason switch
    {
        ShedReason.None => nameof(ShedReason.None),
        ShedReason.NoHealthyWorker => nameof(ShedReason.NoHealthyWorker),
        ShedReason.QueueFull => nameof(ShedReason.QueueFull),
        ShedReason.DeadlineExceeded => nameof(ShedReason.DeadlineExceeded),
        ShedReason.PredictedOverSlo => nameof(ShedReason.PredictedOverSlo),
        ShedReason.NoMemory => nameof(ShedReason.NoMemory),
        ShedReason.SloUnattainable => nameof(ShedReason.SloUnattainable),
        _ => "Other",
    };
}
