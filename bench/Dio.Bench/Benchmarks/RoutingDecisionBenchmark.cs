using BenchmarkDotNet.Attributes;
using Dio.Grains.Routing;

namespace Dio.Bench.Benchmarks;

/// <summary>
/// One routing decision on a warmed-up pool (<see cref="WarmPool"/>), on the scheduling core the router grain runs:
/// the policy scores every worker from its published view, the pool takes the lease, and (outside the decision, but
/// inside the measured call so the pool stays in steady state) the lease is released again.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RoutingDecisionBenchmark
{
    private RoutingPool _router = null!;

    [Params(8, 32, 256, 1024)]
    public int Workers { get; set; }

    [Params("dio", "llm-d")]
    public string Policy { get; set; } = "dio";

    [GlobalSetup]
    public void Setup() => _router = WarmPool.Build(Workers, Policy);

    /// <summary>The decision alone: filter, prefix match and the policy's scoring of every worker.</summary>
    [Benchmark]
    public int Decide() => _router.DecideWithoutLeasing(WarmPool.CountedRequest).Candidate;

    /// <summary>The whole hot path: decide, take the lease, then release it.</summary>
    [Benchmark]
    public Guid RouteAndRelease() => WarmPool.RouteAndRelease(_router);
}
