using Dio.Grains.Policies;
using Dio.Grains.Scheduling;
using Dio.Grains.Tests.Support;
using Dio.Grains.Workers;

namespace Dio.Grains.Tests.Policies;

public sealed class DioPolicyTests
{
    private readonly DioPolicy _sut = new();

    [Fact]
    public void Decide_PicksLowestPredictedTtft()
    {
        var fast = TestWorkers.State("fast").WithPredictor(a0: 20, a1: 40, c0: 10);   // 1k prompt: 60 ms
        var slow = TestWorkers.State("slow").WithPredictor(a0: 100, a1: 400, c0: 30);  // 500 ms

        Assert.Equal(1, TestWorkers.Decide(_sut, [slow, fast]).Candidate);
        Assert.Equal(60, TestWorkers.Decide(_sut, [slow, fast]).Score.ServiceMs, 9);
    }

    [Fact]
    public void Admission_OnABusyWorker_AddsItsLearnedUnderPrediction()
    {
        // 1k prompt: 100 + 1,700 = 1,800 ms predicted, under the 2 s objective; the worker's answers have come in 20%
        // later than predicted, so on it the request is priced 1,800 × 1.2 = 2,160 ms: over, when it has a backlog.
        WorkerState Worker(long backlog)
        {
            var state = TestWorkers.State("w").WithPredictor(a0: 100, a1: 1700, c0: 10);
            state.Predictor = state.Predictor with { TtftUnderPrediction = 0.2, TtftCoefficients = Vector4.Of(100, 1700, 0) };
            state.PendingPrefillTokens = backlog;
            return state;
        }

        Assert.Equal(RouteVerdict.Routed, TestWorkers.Decide(_sut, [Worker(backlog: 0)]).Verdict);   // idle: no one to displace
        var busy = TestWorkers.Decide(_sut, [Worker(backlog: 1)]);
        Assert.Equal(RouteVerdict.Shed, busy.Verdict);
        Assert.Equal(ShedReason.PredictedOverSlo, busy.Reason);

        // A claimed cache hit there: the error is about the cache, not the worker, so no margin.
        var hit = TestWorkers.Decide(_sut, [Worker(backlog: 1)], matched: [1], prefix: [42UL, 43UL]);
        Assert.Equal(RouteVerdict.Routed, hit.Verdict);
    }

    [Fact]
    public void Decide_FasterWorkerWithoutFreeKv_IsSkipped()
    {
        // 1000 + 100 tokens = 69 blocks, ×1.2 = 82.8; fast has 1000 − 900 used − 50 headroom = 50 free.
        var fast = TestWorkers.State("fast", kvUsage: 0.9).WithPredictor(20, 40, 10);
        var slow = TestWorkers.State("slow").WithPredictor(100, 400, 30);

        var decision = TestWorkers.Decide(_sut, [fast, slow]);

        Assert.Equal(RouteVerdict.Routed, decision.Verdict);
        Assert.Equal(1, decision.Candidate);
        Assert.Equal(82.8, decision.RequiredBlocks, 9);
    }

    [Fact]
    public void Decide_BatchTier_ScoresEndToEnd_InteractiveScoresTtft()
    {
        // quickStart: TTFT 60 ms but 50 ms/token; steady: TTFT 300 ms, 10 ms/token. 100 output tokens:
        // E2E quickStart 5060 ms vs steady 1300 ms.
        var quickStart = TestWorkers.State("quick").WithPredictor(20, 40, 50);
        var steady = TestWorkers.State("steady").WithPredictor(100, 200, 10);

        Assert.Equal(0, TestWorkers.Decide(_sut, [quickStart, steady], tier: RequestTier.Interactive).Candidate);
        Assert.Equal(1, TestWorkers.Decide(_sut, [quickStart, steady], tier: RequestTier.Batch).Candidate);
    }

    [Fact]
    public void Decide_MemoryPenalty_ShiftsLoadBeforeTheHardLimit()
    {
        // Both predict 60 ms; a would land at (850 + 69)/1000 = 0.919 projected → 1000·0.119/0.2 = 595 ms penalty.
        var a = TestWorkers.State("a", kvUsage: 0.85).WithPredictor(20, 40, 10);
        var b = TestWorkers.State("b", kvUsage: 0.2).WithPredictor(200, 40, 10);   // 240 ms, no penalty

        var decision = TestWorkers.Decide(_sut, [a, b]);

        Assert.Equal(1, decision.Candidate);
    }

    [Fact]
    public void Decide_LargeTierRequest_OnlyOnLargeWorkers_SmallPaysMismatch()
    {
        var small = TestWorkers.State("small", tier: "small").WithPredictor(20, 40, 10);
        var large = TestWorkers.State("large", tier: "large").WithPredictor(100, 100, 10);

        Assert.Equal(1, TestWorkers.Decide(_sut, [small, large], capability: "large").Candidate);
        var smallRequest = TestWorkers.Decide(_sut, [small, large], capability: "small");
        Assert.Equal(0, smallRequest.Candidate);
        Assert.Equal(RouteVerdict.Shed, TestWorkers.Decide(_sut, [small], capability: "large").Verdict);
    }

    [Fact]
    public void Decide_PrefixHeldByWorker_EarnsCacheCreditUpTo200Ms()
    {
        var a = TestWorkers.State("a").WithPredictor(300, 100, 10);   // 400 ms
        var b = TestWorkers.State("b").WithPredictor(250, 100, 10);   // 350 ms

        var decision = TestWorkers.Decide(_sut, [a, b], matched: [4, 0], prefix: [1, 2, 3, 4]);

        Assert.Equal(0, decision.Candidate);                  // 400 − min(200, 400·1.0) = 200 < 350
        Assert.Equal(200, decision.Score.CacheMs, 9);
    }

    [Fact]
    public void Decide_NothingFits_WaitsWhileQueueHasRoom_ShedsWhenFull()
    {
        var full = TestWorkers.State("full", kvUsage: 0.97).WithPredictor(20, 40, 10);

        // C = min(256, ⌊1000 blocks · 16 / (1000 + 250) tokens⌋) = 12, so Q_max = 2 · 12 = 24.
        Assert.Equal(12, full.Concurrency);
        Assert.Equal(RouteVerdict.Wait, TestWorkers.Decide(_sut, [full], queued: 23).Verdict);
        var shed = TestWorkers.Decide(_sut, [full], queued: 24);
        Assert.Equal(RouteVerdict.Shed, shed.Verdict);
        Assert.Equal(ShedReason.QueueFull, shed.Reason);
        Assert.True(shed.RetryAfter >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Decide_FastestFeasibleMissesSlo_ShedsWithRetryAfter()
    {
        // 1500 ms for a 1k prompt when idle, but 2000 tokens of backlog make it 2500 ms > the 2000 ms SLO.
        var slow = TestWorkers.State("slow").WithPredictor(1000, 500, 10);
        slow.PendingPrefillTokens = 2000;

        var decision = TestWorkers.Decide(_sut, [slow]);

        Assert.Equal(RouteVerdict.Shed, decision.Verdict);
        Assert.Equal(ShedReason.PredictedOverSlo, decision.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), decision.RetryAfter);

        var lenient = new SchedulerOptions { ShedWhenPredictedOverSlo = false };
        Assert.Equal(RouteVerdict.Routed, TestWorkers.Decide(_sut, [slow], options: lenient).Verdict);
    }
}
