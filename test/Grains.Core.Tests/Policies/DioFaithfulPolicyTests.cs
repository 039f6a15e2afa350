using Dio.Grains.Policies;
using Dio.Grains.Tests.Support;

namespace Dio.Grains.Tests.Policies;

/// <summary>Algorithm 1 worked by hand (ALGORITHMS.md §1.3): S = (Q/8)·t̄ + t̂ + tier + vram − cache.</summary>
public sealed class DioFaithfulPolicyTests
{
    [Fact]
    public void Decide_QueueTermAndPrediction_HandComputed()
    {
        var sut = new DioFaithfulPolicy(sloMs: 90_000);
        // 4000 bytes → N = 1000. a: t̂ = 0.2·1000 + 50 = 250, wait = 4/8·300 = 150 → 400. b: t̂ = 0.5·1000 + 20 = 520 → 520.
        var a = TestWorkers.State("a", inFlight: 4).WithPredictor(1, 1, 1).WithFaithful(0.2, 50, 300);
        var b = TestWorkers.State("b").WithPredictor(1, 1, 1).WithFaithful(0.5, 20, 0);

        var decision = TestWorkers.Decide(sut, [a, b], promptBytes: 4000);

        Assert.Equal(0, decision.Candidate);
        Assert.Equal(150, decision.Score.WaitMs, 9);
        Assert.Equal(250, decision.Score.ServiceMs, 9);
        Assert.Equal(400, decision.Score.TotalMs, 9);
    }

    [Fact]
    public void Decide_SmallRequestOnLargeWorker_Pays500()
    {
        var sut = new DioFaithfulPolicy(90_000);
        var a = TestWorkers.State("a", inFlight: 4, tier: "large").WithPredictor(1, 1, 1).WithFaithful(0.2, 50, 300);   // 400 + 500
        var b = TestWorkers.State("b").WithPredictor(1, 1, 1).WithFaithful(0.5, 20, 0);                                 // 520

        Assert.Equal(1, TestWorkers.Decide(sut, [a, b], promptBytes: 4000, capability: "small").Candidate);
    }

    [Fact]
    public void Decide_PrefixSeenOnWorker_Earns200()
    {
        var sut = new DioFaithfulPolicy(90_000);
        var a = TestWorkers.State("a").WithPredictor(1, 1, 1).WithFaithful(0.2, 50, 0);    // 250
        var b = TestWorkers.State("b").WithPredictor(1, 1, 1).WithFaithful(0.2, 100, 0);   // 300

        Assert.Equal(0, TestWorkers.Decide(sut, [a, b], promptBytes: 4000, prefix: [42]).Candidate);
        a.InFlight = 2;   // a: 250 + 2/8·250 = 312.5 > 300, but b has no cache credit...

        var second = TestWorkers.Decide(sut, [a, b], promptBytes: 4000, prefix: [42]);

        Assert.Equal(0, second.Candidate);   // ...and a has: 312.5 − 200 = 112.5
        Assert.Equal(200, second.Score.CacheMs);
    }

    [Fact]
    public void Decide_BestScoreAboveSlo_RejectsWithRetryAfterFloorSeconds()
    {
        var sut = new DioFaithfulPolicy(sloMs: 2000);
        var a = TestWorkers.State("a").WithPredictor(1, 1, 1).WithFaithful(3.5, 50, 0);   // 3550 ms

        var decision = TestWorkers.Decide(sut, [a], promptBytes: 4000);

        Assert.Equal(RouteVerdict.Shed, decision.Verdict);
        Assert.Equal(TimeSpan.FromSeconds(3), decision.RetryAfter);   // max(1, ⌊3550/1000⌋)
    }
}
