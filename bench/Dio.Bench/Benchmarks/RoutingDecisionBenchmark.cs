using BenchmarkDotNet.Attributes;
using Dio.Grains.Routing;

namespace Dio.Bench.Benchmarks;

/// <summary>
/// One routing decision on a warmed-up pool (<see cref="WarmPool"/>): the policy scores every worker from published
/// state, the chosen worker grain takes the reservation under its turn, and (outside the decision, but inside the
/// measured call so the pool stays in steady state) the reservation is released again.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RoutingDecisionBenchmark
{
    private RouterGrain _router = null!;

    [Params(8, 32, 256, 1024)]
    public int Workers { get; set; }

    [Params("dio", "llm-d")]
    public string Policy { get; set; } = "dio";

    [GlobalSetup]
    public void Setup() => _router = WarmPool.Build(Workers, Policy);

    /// <summary>The decision alone: filter, prefix match and the policy's scoring of every worker.</summary>
    [Benchmark]
    public int Decide() => _router.DecideWithoutReserving(WarmPool.CountedRequest).Candidate;

    /// <summary>The whole hot path: decide, reserve on the chosen worker grain, then release the reservation.</summary>
    [Benchmark]
    public long RouteAndRelease() => WarmPool.RouteAndRelease(_router);
}
