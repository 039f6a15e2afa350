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
    public void Llmd_SaturatedEndpoint_IsFilteredUnlessAllAre()
    {
        var sut = new LlmdPolicy(new Random(1));
        // c would score best on the prefix, but kv 0.9/0.8 > 1 marks it saturated.
        WorkerState[] workers = [TestWorkers.State("a", kvUsage: 0.5), TestWorkers.State("b", kvUsage: 0.3, waiting: 2), TestWorkers.State("c", kvUsage: 0.9)];
        Assert.NotEqual(2, TestWorkers.Decide(sut, workers, matched: [0, 0, 4], prefix: [1, 2, 3, 4]).Candidate);

        // Every endpoint saturated: the filter fails open and the scorers decide.
        WorkerState[] saturated = [TestWorkers.State("a", kvUsage: 0.95), TestWorkers.State("b", kvUsage: 0.9, waiting: 9)];
        Assert.Equal(0, TestWorkers.Decide(sut, saturated).Candidate);
    }

    [Fact]
    public void SmgLeastLoad_DrainTimePlusKvBarrier()
    {
        var sut = new SmgLeastLoadPolicy();
        var a = TestWorkers.State("a", kvUsage: 0.5, throughput: 1000);
        a.OutstandingTokens = 4000;    // 4000/1000 + 0.15·0.5/0.5 = 4.15
        var b = TestWorkers.State("b", kvUsage: 0.0);
        b.OutstandingTokens = 2000;    // unknown throughput → 2000 tok/s: 1.0 + 0

        Assert.Equal(1, TestWorkers.Decide(sut, [a, b]).Candidate);

        b.OutstandingTokens = 9000;    // 4.5 > 4.15
        Assert.Equal(0, TestWorkers.Decide(sut, [a, b]).Candidate);
    }

    [Fact]
    public void DynamoKv_PrefillPlusDecodeBlocks_WithOverlapCredit()
    {
        var sut = new DynamoKvPolicy(new Random(1));
        var a = TestWorkers.State("a");
        a.PendingPrefillTokens = 320;   // 20 blocks
        a.ActivePromptBlocks = 50;
        var b = TestWorkers.State("b");
        b.ActivePromptBlocks = 85;

        // Request of 160 tokens = 10 blocks. a: (20 + 10) + 50 + 10 = 90; b: (0 + 10) + 85 + 10 = 105.
        Assert.Equal(0, TestWorkers.Decide(sut, [a, b], promptTokens: 160).Candidate);

        // b holds all 10 prompt blocks: (0 + 10 − 10) + 85 + 10 = 95 — still above 90.
        Assert.Equal(0, TestWorkers.Decide(sut, [a, b], promptTokens: 160, matched: [0, 10], prefix: new ulong[10]).Candidate);

        b.ActivePromptBlocks = 75;      // now 85 < 90
        Assert.Equal(1, TestWorkers.Decide(sut, [a, b], promptTokens: 160, matched: [0, 10], prefix: new ulong[10]).Candidate);
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
