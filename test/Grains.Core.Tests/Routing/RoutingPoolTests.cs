using Dio.Grains.Scheduling;
using Dio.Grains.Tests.Support;

namespace Dio.Grains.Tests.Routing;

/// <summary>The pool a router grain runs, driven directly: decisions, leases, learning through the worker model.</summary>
public sealed class RoutingPoolTests
{
    [Fact]
    public void RouteAndComplete_LeaseHeldThenReleased()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");

        var outcome = grains.Router.TryRoute(TestPool.Request());

        Assert.Equal(RouteVerdict.Routed, outcome.Verdict);
        Assert.Equal("w1", outcome.WorkerId);
        Assert.Equal("http://w1", outcome.Endpoint);
        var state = grains.Router.Members[0];
        Assert.Equal(1, state.InFlight);
        Assert.Equal(69, state.ReservedBlocks);   // ⌈(1000 + 100)/16⌉

        grains.Complete(outcome);

        Assert.Equal(0, state.InFlight);
        Assert.Equal(0, state.ReservedBlocks);
        Assert.Equal(0, state.PendingPrefillTokens);
        Assert.Equal(1, grains.Fleet.Snapshot("w1")!.Observations);
    }

    [Fact]
    public void Route_PromptPlusMaxTokensBeyondEveryContext_Rejects()
    {
        var grains = new TestPool();
        grains.AddWorker("w1", maxModelLen: 4096);
        grains.AddWorker("w2", maxModelLen: 8192);

        var outcome = grains.Router.TryRoute(TestPool.Request(promptTokens: 8000, maxTokens: 500));

        Assert.Equal(RouteVerdict.Reject, outcome.Verdict);
        Assert.Equal(8192, outcome.MaxModelLen);
        Assert.Equal(8000, outcome.PromptTokens);
    }

    [Fact]
    public void Route_LongRequest_GoesOnlyToTheWorkerWhoseContextHoldsIt()
    {
        var grains = new TestPool("round-robin");
        grains.AddWorker("short", maxModelLen: 2048);
        grains.AddWorker("long", maxModelLen: 16384);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("long", grains.Router.TryRoute(TestPool.Request(promptTokens: 3000)).WorkerId);
        }
    }

    [Fact]
    public void Route_AllWorkersUnhealthy_ShedsThenRecovers()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        // Two transport failures on real traffic make it unhealthy (HealthRules' default); a fresh reading heals it.
        grains.Complete(grains.Router.TryRoute(TestPool.Request()), kind: CompletionKind.FailedBeforeFirstByte);
        grains.Complete(grains.Router.TryRoute(TestPool.Request()), kind: CompletionKind.FailedBeforeFirstByte);

        var shed = grains.Router.TryRoute(TestPool.Request());
        grains.Time.Advance(TimeSpan.FromSeconds(1));
        grains.Report("w1", kvUsage: 0);
        var routed = grains.Router.TryRoute(TestPool.Request());

        Assert.Equal(RouteVerdict.Shed, shed.Verdict);
        Assert.Equal(ShedReason.NoHealthyWorker, shed.ShedReason);
        Assert.True(shed.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Equal(RouteVerdict.Routed, routed.Verdict);
    }

    [Fact]
    public async Task Route_PoolWithoutWorkers_ShedsNoHealthyWorker()
    {
        var grains = new TestPool();

        var outcome = await grains.Router.RouteAsync(TestPool.Request());

        Assert.Equal(RouteVerdict.Shed, outcome.Verdict);
        Assert.Equal(ShedReason.NoHealthyWorker, outcome.ShedReason);
    }

    [Fact]
    public void Telemetry_AfterRequestStarted_CoversItsLease()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        var outcome = grains.Router.TryRoute(TestPool.Request());
        var state = grains.Router.Members[0];

        grains.Report("w1", kvUsage: 0.05);      // taken before the request started: covers nothing
        Assert.Equal(69, state.ReservedBlocks);

        grains.Router.Started(outcome.LeaseId);
        Assert.Equal(0, state.PendingPrefillTokens);
        grains.Time.Advance(TimeSpan.FromSeconds(1));
        grains.Report("w1", kvUsage: 0.12);      // after the start: vLLM's kv_usage now counts its prompt

        Assert.Equal(6, state.ReservedBlocks);   // ⌈1100/16⌉ − ⌈1000/16⌉ = 69 − 63: the output still to come
        Assert.Equal(120, state.UsedBlocks);
        Assert.Equal(1, state.InFlight);

        grains.Complete(outcome);
        Assert.Equal(0, state.ReservedBlocks);              // not subtracted twice
        Assert.Equal(0, state.InFlight);
    }

    [Fact]
    public void Complete_UnknownOrRepeatedLease_IsIgnored()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        var outcome = grains.Router.TryRoute(TestPool.Request());

        grains.Complete(outcome);
        grains.Complete(outcome);
        grains.Fleet.Complete(new CompletionReport("nobody", Guid.NewGuid(), CompletionKind.Success, 1, 1, 1, 1));

        Assert.Equal(0, grains.Router.Members[0].InFlight);
        Assert.Equal(0, grains.Router.Members[0].ReservedBlocks);
    }

    [Fact]
    public void Complete_Failure_ReleasesWithoutLearning()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        var outcome = grains.Router.TryRoute(TestPool.Request());

        grains.Fleet.Complete(new CompletionReport("w1", outcome.LeaseId, CompletionKind.FailedBeforeFirstByte, 0, 5, 0, 0));

        Assert.Equal(0, grains.Fleet.Snapshot("w1")!.Observations);
        Assert.Equal(0, grains.Router.Members[0].InFlight);
    }

    [Fact]
    public void Dio_LearnsWhichWorkerIsFaster_AndPrefersIt()
    {
        var grains = new TestPool();
        grains.AddWorker("a100");
        grains.AddWorker("t4");

        // Serve sequentially (no load): the T4 answers 6× slower. Route 60 requests, each completing at once.
        for (var i = 0; i < 60; i++)
        {
            var outcome = grains.Router.TryRoute(TestPool.Request(promptTokens: 500 + (i * 37 % 3000)));
            var slow = outcome.WorkerId == "t4";
            var ttft = (slow ? 6 : 1) * (20 + (outcome.PromptTokens * 0.08));
            grains.Complete(outcome, completionTokens: 100, ttftMs: ttft, e2eMs: ttft + (99 * (slow ? 60 : 10)));
        }

        // Probe one request at a time (each released before the next, so no load builds up).
        var picks = new List<RouteOutcome>();
        for (var i = 0; i < 20; i++)
        {
            var pick = grains.Router.TryRoute(TestPool.Request());
            picks.Add(pick);
            grains.Fleet.Complete(new CompletionReport(pick.WorkerId!, pick.LeaseId, CompletionKind.Cancelled, 0, 0, 0, 0));
        }

        Assert.All(picks, p => Assert.Equal("a100", p.WorkerId));
        Assert.InRange(picks[0].PredictedTtftMs, 85, 115);   // truth 20 + 0.08·1000 = 100 ms, learned from ~45 of its requests

        // Under load the T4 becomes the better choice: DIO spills over instead of piling onto the fast GPU.
        var held = Enumerable.Range(0, 40).Select(_ => grains.Router.TryRoute(TestPool.Request())).ToList();
        Assert.Contains(held, p => p.WorkerId == "t4");
    }

    [Fact]
    public void Deregister_RemovesWorkerFromPool()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        grains.AddWorker("w2");

        grains.Router.Remove("w1");

        Assert.Equal(["w2"], grains.Router.Members.ToArray().Select(s => s.WorkerId));
        for (var i = 0; i < 5; i++)
        {
            var outcome = grains.Router.TryRoute(TestPool.Request());
            Assert.Equal("w2", outcome.WorkerId);
            grains.Complete(outcome);   // w2 is cold: slow start lets it hold one more request than it has learned from
        }
    }

    [Fact]
    public void SlowStart_ColdWorkersShareABurst_ThenTheLearnedFastOneTakesIt()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        grains.AddWorker("w2");

        // Cold: the prior rates both alike; each may hold one request before anything is learned.
        var first = grains.Router.TryRoute(TestPool.Request());
        var second = grains.Router.TryRoute(TestPool.Request());
        Assert.Equal(RouteVerdict.Routed, second.Verdict);
        Assert.NotEqual(first.WorkerId, second.WorkerId);
        Assert.Equal(RouteVerdict.Wait, grains.Router.TryRoute(TestPool.Request()).Verdict);

        // Once a worker has learned from enough completions, it takes a burst on its own.
        grains.Complete(second, ttftMs: 50, e2eMs: 500);
        for (var i = 0; i < new SchedulerOptions().SlowStartObservations; i++)
        {
            grains.Complete(grains.Router.TryRoute(TestPool.Request()), ttftMs: 50, e2eMs: 500);
        }

        var burst = Enumerable.Range(0, 5).Select(_ => grains.Router.TryRoute(TestPool.Request())).ToList();
        Assert.All(burst, o => Assert.Equal(second.WorkerId, o.WorkerId));
    }

    [Fact]
    public void SlowStart_EndsWithFirstTokens_BeforeAnyLongAnswerCompletes()
    {
        // A cold worker serving long answers: its first tokens come back within 50 ms, its completions only after a
        // minute. Learning TTFT at the first token lets it take a burst without waiting a minute for completions.
        var grains = new TestPool();
        grains.AddWorker("w1");
        for (var i = 0; i < new SchedulerOptions().SlowStartObservations; i++)
        {
            var outcome = grains.Router.TryRoute(TestPool.Request());
            Assert.Equal(RouteVerdict.Routed, outcome.Verdict);
            grains.Fleet.Started(outcome.LeaseId, ttftMs: 50);
        }

        var burst = Enumerable.Range(0, 5).Select(_ => grains.Router.TryRoute(TestPool.Request())).ToList();

        Assert.All(burst, o => Assert.Equal(RouteVerdict.Routed, o.Verdict));
        Assert.Equal(0, grains.Router.Members[0].Predictor.Completions);
    }

    [Fact]
    public void FirstToken_TeachesTtftOnce_AndTheCompletionTeachesTheRest()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        var outcome = grains.Router.TryRoute(TestPool.Request());

        grains.Fleet.Started(outcome.LeaseId, ttftMs: 80);
        grains.Fleet.Started(outcome.LeaseId, ttftMs: 80);   // a repeated report teaches nothing more
        var afterFirstToken = grains.Router.Members[0].Predictor;
        grains.Complete(outcome, completionTokens: 100, ttftMs: 80, e2eMs: 2080);
        var afterCompletion = grains.Router.Members[0].Predictor;

        Assert.Equal(1, afterFirstToken.Observations);
        Assert.Equal(0, afterFirstToken.Completions);
        Assert.Equal(1, afterCompletion.Observations);   // the TTFT channel did not learn the same request twice
        Assert.Equal(1, afterCompletion.Completions);
        Assert.Equal(afterFirstToken.TtftCoefficients, afterCompletion.TtftCoefficients);
        Assert.NotEqual(afterFirstToken.TpotCoefficients, afterCompletion.TpotCoefficients);
    }
}
