using Dio.Bench.Simulation;
using Dio.Bench.Simulation.LlmdLatency;
using Dio.Bench.Workloads;
using Dio.Grains.Policies;

namespace Dio.Bench.Experiments;

/// <summary>
/// The evaluation of EVALUATION.md: every trace on every fleet, loads as shares of the fleet's measured saturated
/// capacity for that trace's mix (25% to 150%), every router with its native admission, the ablation and the
/// bound, each cell over several seeds.
/// </summary>
public static class EvaluationSweep
{
    public static readonly double[] CapacityShares = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5];

    /// <summary>The baselines, each as its operators would run it (with its own admission where it has one).</summary>
    public static readonly string[] Baselines =
    [
        RoutingPolicyNames.Llmd, RoutingPolicyNames.LlmdHetero, LlmdLatencyPolicy.PolicyName, RoutingPolicyNames.SmgCacheAware,
        RoutingPolicyNames.SmgLeastLoad, RoutingPolicyNames.DynamoKv, RoutingPolicyNames.RoundRobin, RoutingPolicyNames.LeastOutstanding, RoutingPolicyNames.PowerOfTwo,
    ];

    public static readonly string[] Policies =
        [RoutingPolicyNames.Dio, RoutingPolicyNames.DioNoShed, .. Baselines, OraclePolicy.SheddingName];

    /// <summary>The repeats of the headline (other scrape period, scaled profiles): DIO, its ablation, the projects'
    /// routers and the bound, at 50%, 100% and 150% of capacity.</summary>
    public static readonly string[] ProjectPolicies =
    [
        RoutingPolicyNames.Dio, RoutingPolicyNames.DioNoShed, RoutingPolicyNames.Llmd, RoutingPolicyNames.LlmdHetero, LlmdLatencyPolicy.PolicyName,
        RoutingPolicyNames.SmgCacheAware,
        RoutingPolicyNames.SmgLeastLoad, RoutingPolicyNames.DynamoKv, OraclePolicy.SheddingName,
    ];

    public static readonly double[] RepeatShares = [0.5, 1.0, 1.5];

    /// <summary>The time compression that offers <paramref name="share"/> of the fleet's capacity.</summary>
    public static double LoadFor(PreparedTrace trace, double share) => Math.Round(share * trace.Capacity.RequestsPerSecond / trace.Load1Rps, 4);

    public static IReadOnlyList<SimulationResult> Run(PreparedTrace trace, int seeds, int firstSeed, double scrapeSeconds = 1,
        IReadOnlyDictionary<string, double>? speedScale = null, IReadOnlyList<string>? policies = null, IReadOnlyList<double>? shares = null)
    {
        // The operator's throughput measurement for smg-least-load, taken once per sweep rather than once per run.
        var measured = FleetCapacity.GenerationThroughput(trace.Case.Cluster, trace.Requests, trace.Case.MaxModelLen, trace.Case.PrefixCaching);
        var runs = from policy in policies ?? Policies
                   from share in shares ?? CapacityShares
                   from seed in Enumerable.Range(firstSeed, seeds)
                   select new SimulationSettings(policy, LoadFor(trace, share))
                   {
                       Seed = seed, MaxModelLen = trace.Case.MaxModelLen, PrefixCaching = trace.Case.PrefixCaching,
                       ScrapeSeconds = scrapeSeconds, SpeedScale = speedScale ?? new Dictionary<string, double>(), MeasuredThroughput = measured,
                   };
        return [.. Cells.WithEqualAdmittedP99(LoadSweep.Run(trace.Requests, trace.Case.Cluster, runs))];
    }
}
