using Dio.Grains.Policies;
using Dio.Grains.Tests.Support;
using Dio.Grains.Workers;

namespace Dio.Grains.Tests.Policies;

/// <summary>Each baseline on hand-built snapshots, against what its published formula says (ANCHORS.md).</summary>
public sealed class BaselinePolicyTests
{
    [Fact]
    public void RoundRobin_CyclesThroughCandidates()
    {
        var sut = new RoundRobinPolicy();
        WorkerState[] workers = [TestWorkers.State("a"), TestWorkers.State("b"), TestWorkers.State("c")];

        var picks = Enumerable.Range(0, 4).Select(_ => TestWorkers.Decide(sut, workers).Candidate).ToArray();

        Assert.Equal([0, 1, 2, 0], picks);
    }

    [Fact]
    public void LeastOutstanding_PicksFewestInFlight()
    {
        var sut = new LeastOutstandingPolicy(new Random(1));
        WorkerState[] workers = [TestWorkers.State("a", inFlight: 3), TestWorkers.State("b", inFlight: 1), TestWorkers.State("c", inFlight: 2)];

        Assert.Equal(1, TestWorkers.Decide(sut, workers).Candidate);
    }

    [Fact]
    public void LeastOutstanding_Ties_SpreadOverTiedWorkers()
    {
        var sut = new LeastOutstandingPolicy(new Random(1));
        WorkerState[] workers = [TestWorkers.State("a"), TestWorkers.State("b"), TestWorkers.State("c", inFlight: 1)];

        var picks = Enumerable.Range(0, 200).Select(_ => TestWorkers.Decide(sut, workers).Candidate).ToList();

        Assert.DoesNotContain(2, picks);
        Assert.InRange(picks.Count(p => p == 0), 60, 140);
    }

    [Fact]
    public void PowerOfTwo_ScriptedSamples_KeepsLessLoaded()
    {
        WorkerState[] workers = [TestWorkers.State("a", inFlight: 5), TestWorkers.State("b", inFlight: 9), TestWorkers.State("c", inFlight: 2)];

        // Samples 1 ("b") then Next(2) = 1 → shifted past 1 → 2 ("c"): c has fewer in flight.
        var sut = new PowerOfTwoPolicy(new ScriptedRandom(1, 1));
        Assert.Equal(2, TestWorkers.Decide(sut, workers).Candidate);

        // Samples 1 ("b") then 0 ("a"): a wins.
        sut = new PowerOfTwoPolicy(new ScriptedRandom(1, 0));
        Assert.Equal(0, TestWorkers.Decide(sut, workers).Candidate);
    }

    [Fact]
    public void Llmd_QueueAndKvScorers_WeightedTwoAndTwo()
    {
        var sut = new LlmdPolicy(new Random(1));
        // a: queue score 1 (least waiting), kv 0.5 → 2·1 + 2·0.5 = 3.0
        // b: queue score 0, kv 0.1 → 0 + 1.8 = 1.8
        WorkerState[] workers = [TestWorkers.State("a", kvUsage: 0.5), TestWorkers.State("b", kvUsage: 0.1, waiting: 4)];

        Assert.Equal(0, TestWorkers.Decide(sut, workers).Candidate);
    }

    [Fact]
    public void Llmd_PrefixScorer_WeightThree_OutweighsLoad()
    {
        var sut = new LlmdPolicy(new Random(1));
        WorkerState[] workers = [TestWorkers.State("a", kvUsage: 0.5), TestWorkers.State("b", kvUsage: 0.1, waiting: 4)];

        // b holds the whole prefix: 1.8 + 3·1 = 4.8 > a's 3.0
        var decision = TestWorkers.Decide(sut, workers, matched: [0, 4], prefix: [1, 2, 3, 4]);

        Assert.Equal(1, decision.Candidate);
    }

    [Fact]
    public void Llmd_DefaultProfile_HasNoSaturationFilter()
    {
        var sut = new LlmdPolicy(new Random(1));
        // c's KV is past the detector's 0.8, yet the default profile only scores: 2·1 + 2·0.1 + 3·1 = 5.2 wins.
        WorkerState[] workers = [TestWorkers.State("a", kvUsage: 0.5), TestWorkers.State("b", kvUsage: 0.3), TestWorkers.State("c", kvUsage: 0.9)];

        Assert.Equal(2, TestWorkers.Decide(sut, workers, matched: [0, 0, 4], prefix: [1, 2, 3, 4]).Candidate);
    }

    [Theory]
    [InlineData(500, 0, 1024, 0.8519)]    // width 1024: 0.3 + 0.7·(0.7/1.1024 + 0.3·524/1024)
    [InlineData(500, 0, 8192, 0.7665)]    // a wide range scores lower for the same prompt
    [InlineData(3000, 0, 1024, 0.1008)]   // out of range by 1976: 0.3/2.976
    [InlineData(7, 7, 7, 1.0)]            // a zero-width range
    public void Llmd_ContextLengthScore_FollowsCalculateRangeScore(int tokens, int min, int max, double expected)
    {
        Assert.Equal(expected, LlmdPolicy.ContextLengthScore(tokens, min, max), 4);
    }

    [Fact]
    public void LlmdHetero_SendsLongPromptsAwayFromTheShortRangeGpus_AndQueuesWhenThePoolIsSaturated()
    {
        var sut = new LlmdPolicy(new Random(1), heterogeneous: true);
        var t4 = TestWorkers.State("t4");
        t4.Registration = t4.Registration with { GpuProfile = "T4" };
        var a100 = TestWorkers.State("a100", kvUsage: 0.3);

        // Idle T4 vs a 30%-full A100, 4,000-token prompt: 8·0.075 on the T4 loses to 8·0.68 − 2·0.3 on the A100.
        Assert.Equal(1, TestWorkers.Decide(sut, [t4, a100], promptTokens: 4000).Candidate);

        // Pool saturation = mean(max(5/5, 0), max(0, 0.9/0.8)) ≥ 1: flow control holds the request for up to 60 s.
        var busy = TestWorkers.State("t4", waiting: 5);
        var full = TestWorkers.State("a100", kvUsage: 0.9);
        Assert.Equal(RouteVerdict.Wait, TestWorkers.Decide(sut, [busy, full]).Verdict);
        Assert.Equal(60_000, ((IRoutingPolicy)sut).QueueTimeoutMs(2000));
    }

    [Fact]
    public void SmgLeastLoad_QueuedAndUnpolledTokensOverMeasuredThroughput_PlusKvBarrier()
    {
        var sut = new SmgLeastLoadPolicy(new Random(1), new Dictionary<string, double> { ["A100-80GB"] = 4096, ["T4"] = 512 });
        // a (A100): 3 waiting + 1 not yet polled = 4 × 1024 tokens / 4096 tok/s = 1.0 s, + 0.15·0.5/0.5 = 1.15 s
        var a = TestWorkers.State("a", kvUsage: 0.5, waiting: 3);
        a.UncoveredRequests = 1;
        // b (T4): 1 waiting → 1024 / 512 = 2.0 s: the slow GPU's one request outweighs the fast GPU's four
        var b = TestWorkers.State("b", waiting: 1);
        b.Registration = b.Registration with { GpuProfile = "T4" };

        Assert.Equal(0, TestWorkers.Decide(sut, [a, b]).Candidate);

        // No measurement for the GPU: SMG's 2000 tok/s. c: 2 × 1024 / 2000 = 1.02 s < a's 1.15 s.
        var c = TestWorkers.State("c", waiting: 2);
        c.Registration = c.Registration with { GpuProfile = "L4" };
        Assert.Equal(2, TestWorkers.Decide(sut, [a, b, c]).Candidate);
    }

    [Fact]
    public void SmgLeastLoad_Ties_AreRandom_NotTheFirstWorker()
    {
        var sut = new SmgLeastLoadPolicy(new Random(1), new Dictionary<string, double>());
        WorkerState[] workers = [TestWorkers.State("a"), TestWorkers.State("b"), TestWorkers.State("c")];

        var picks = Enumerable.Range(0, 300).Select(_ => TestWorkers.Decide(sut, workers).Candidate).ToList();

        Assert.All(new[] { 0, 1, 2 }, w => Assert.InRange(picks.Count(p => p == w), 60, 140));
    }

    [Fact]
    public void SmgCacheAware_MatchAboveThreshold_GoesToTheLeastLoadedHolder_ElseLeastLoaded()
    {
        var sut = new SmgCacheAwarePolicy(new Random(1));
        WorkerState[] workers = [TestWorkers.State("a", inFlight: 1), TestWorkers.State("b", inFlight: 5), TestWorkers.State("c", inFlight: 3)];
        ulong[] prefix = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        // b and c hold 4 of 10 blocks (0.4 > 0.3): the less loaded of them, c, not the idle a.
        Assert.Equal(2, TestWorkers.Decide(sut, workers, matched: [0, 4, 4], prefix: prefix).Candidate);

        // 3 of 10 is not above 0.3 (strict): a miss goes to the least loaded, a.
        Assert.Equal(0, TestWorkers.Decide(sut, workers, matched: [0, 3, 3], prefix: prefix).Candidate);
    }

    [Fact]
    public void SmgCacheAware_Spills_WhenTheHolderIsFarAboveTheMean()
    {
        var sut = new SmgCacheAwarePolicy(new Random(1));
        ulong[] prefix = [1, 2, 3, 4];
        // mean = (100 + 0 + 2) / 3 = 34: 100 > 1.5·34 and 100 > 34 + 64 → spill to the least loaded, b.
        WorkerState[] far = [TestWorkers.State("a", inFlight: 100), TestWorkers.State("b"), TestWorkers.State("c", inFlight: 2)];
        Assert.Equal(1, TestWorkers.Decide(sut, far, matched: [4, 0, 0], prefix: prefix).Candidate);

        // mean = 31.3: 90 < 31.3 + 64, so the holder keeps it.
        WorkerState[] near = [TestWorkers.State("a", inFlight: 90), TestWorkers.State("b"), TestWorkers.State("c", inFlight: 4)];
        Assert.Equal(0, TestWorkers.Decide(sut, near, matched: [4, 0, 0], prefix: prefix).Candidate);
    }

    [Fact]
    public void DynamoKv_PrefillPlusDecodeBlocks_WithOverlapCredit()
    {
        var sut = new DynamoKvPolicy(new Random(1));
        var a = TestWorkers.State("a");
        a.PendingPrefillTokens = 320;
        a.ActivePromptBlocks = 50;
        var b = TestWorkers.State("b");
        b.ActivePromptBlocks = 95;

        // 160 tokens, B = 16. a: (320 + 160)/16 + 50 + 10 = 90; b: 160/16 + 95 + 10 = 115.
        Assert.Equal(0, TestWorkers.Decide(sut, [a, b], promptTokens: 160).Candidate);

        // b holds all 10 prompt blocks: (160 − 160)/16 + 95 + (10 − 10) = 95, still above 90.
        Assert.Equal(0, TestWorkers.Decide(sut, [a, b], promptTokens: 160, matched: [0, 10], prefix: new ulong[10]).Candidate);

        b.ActivePromptBlocks = 85;      // now 85 < 90
        Assert.Equal(1, TestWorkers.Decide(sut, [a, b], promptTokens: 160, matched: [0, 10], prefix: new ulong[10]).Candidate);
    }

    [Fact]
    public void DynamoKv_QueuesWhenEveryWorkerHasFourBudgetsOfPrefillPending_WithoutTimeout()
    {
        var sut = new DynamoKvPolicy(new Random(1));
        var a = TestWorkers.State("a");
        var b = TestWorkers.State("b");
        a.PendingPrefillTokens = (4 * 2048) + 1;   // A100: vLLM's 2048-token budget
        b.PendingPrefillTokens = 4 * 2048;         // not above the threshold

        Assert.Equal(RouteVerdict.Routed, TestWorkers.Decide(sut, [a, b]).Verdict);

        b.PendingPrefillTokens++;
        Assert.Equal(RouteVerdict.Wait, TestWorkers.Decide(sut, [a, b]).Verdict);
        Assert.True(double.IsPositiveInfinity(((IRoutingPolicy)sut).QueueTimeoutMs(2000)));
    }

    [Fact]
    public void EveryBaseline_NoCandidates_ShedsNoHealthyWorker()
    {
        var options = new Dio.Grains.Scheduling.SchedulerOptions();
        foreach (var name in RoutingPolicyNames.All)
        {
            var decision = TestWorkers.Decide(RoutingPolicyFactory.Create(name, options), []);

            Assert.Equal(RouteVerdict.Shed, decision.Verdict);
            Assert.Equal(ShedReason.NoHealthyWorker, decision.Reason);
        }
    }

    private sealed class ScriptedRandom(params int[] values) : Random
    {
        private int _next;

        public override int Next(int maxValue) => values[_next++] % maxValue;
    }
}
