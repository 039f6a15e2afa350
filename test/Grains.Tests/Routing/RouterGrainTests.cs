using Dio.Grains.Scheduling;
using Dio.Grains.Tests.Support;

namespace Dio.Grains.Tests.Routing;

public sealed class RouterGrainTests
{
    [Fact]
    public async Task RouteAndComplete_ReservationHeldThenReleased()
    {
        var grains = new TestGrains();
        await grains.AddWorkerAsync("w1");

        var outcome = grains.Router.TryRoute(TestGrains.Request());

        Assert.Equal(RouteVerdict.Routed, outcome.Verdict);
        Assert.Equal("w1", outcome.WorkerId);
        Assert.Equal("http://w1", outcome.Endpoint);
        var state = grains.Router.Members[0];
        Assert.Equal(1, state.InFlight);
        Assert.Equal(69, state.ReservedBlocks);   // ⌈(1000 + 100)/16⌉

        await grains.CompleteAsync(outcome);

        Assert.Equal(0, state.InFlight);
        Assert.Equal(0, state.ReservedBlocks);
        Assert.Equal(0, state.PendingPrefillTokens);
        Assert.Equal(1, (await grains.Directory.GetWorker("w1").GetSnapshotAsync())!.Observations);
    }

    [Fact]
    public async Task Route_PromptPlusMaxTokensBeyondEveryContext_Rejects()
    {
        var grains = new TestGrains();
        await grains.AddWorkerAsync("w1", maxModelLen: 4096);
        await grains.AddWorkerAsync("w2", maxModelLen: 8192);

        var outcome = grains.Router.TryRoute(TestGrains.Request(promptTokens: 8000, maxTokens: 500));

        Assert.Equal(RouteVerdict.Reject, outcome.Verdict);
        Assert.Equal(8192, outcome.MaxModelLen);
        Assert.Equal(8000, outcome.PromptTokens);
    }

    [Fact]
    public async Task Route_LongRequest_GoesOnlyToTheWorkerWhoseContextHoldsIt()
    {
        var grains = new TestGrains("round-robin");
        await grains.AddWorkerAsync("short", maxModelLen: 2048);
        await grains.AddWorkerAsync("long", maxModelLen: 16384);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("long", grains.Router.TryRoute(TestGrains.Request(promptTokens: 3000)).WorkerId);
        }
    }

    [Fact]
    public async Task Route_AllWorkersUnhealthy_ShedsThenRecovers()
    {
        var grains = new TestGrains();
        await grains.AddWorkerAsync("w1");
        await grains.Directory.GetWorker("w1").SetHealthAsync(false);

        var shed = grains.Router.TryRoute(TestGrains.Request());
        await grains.Directory.GetWorker("w1").SetHealthAsync(true);
        var routed = grains.Router.TryRoute(TestGrains.Request());

        Assert.Equal(RouteVerdict.Shed, shed.Verdict);
        Assert.Equal(ShedReason.NoHealthyWorker, shed.ShedReason);
        Assert.True(shed.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Equal(RouteVerdict.Routed, routed.Verdict);
    }

    [Fact]
    public async Task Route_NoPool_ShedsNoHealthyWorker()
    {
        var grains = new TestGrains();

        var outcome = await grains.Directory.GetRouter("unknown-model").RouteAsync(TestGrains.Request() with { Model = "unknown-model" });

        Assert.Equal(RouteVerdict.Shed, outcome.Verdict);
        Assert.Equal(ShedReason.NoHealthyWorker, outcome.ShedReason);
    }

    [Fact]
    public async Task Telemetry_AfterRequestStarted_CoversItsReservation()
    {
        var grains = new TestGrains();
        await grains.AddWorkerAsync("w1");
        var worker = grains.Directory.GetWorker("w1");
        var outcome = grains.Router.TryRoute(TestGrains.Request());
        var state = grains.Router.Members[0];

        await grains.ReportAsync("w1", kvUsage: 0.05);      // taken before the request started: covers nothing
        Assert.Equal(69, state.ReservedBlocks);

        await worker.ReportStartedAsync(outcome.ReservationId);
        Assert.Equal(0, state.PendingPrefillTokens);
        grains.Time.Advance(TimeSpan.FromSeconds(1));
        await grains.ReportAsync("w1", kvUsage: 0.12);      // after the start: vLLM's kv_usage now counts it

        Assert.Equal(0, state.ReservedBlocks);
        Assert.Equal(120, state.UsedBlocks);
        Assert.Equal(1, state.InFlight);

        await grains.CompleteAsync(outcome);
        Assert.Equal(0, state.ReservedBlocks);              // not subtracted twice
        Assert.Equal(0, state.InFlight);
    }

    [Fact]
    public async Task Complete_UnknownOrRepeatedReservation_IsIgnored()
    {
        var grains = new TestGrains();
        await grains.AddWorkerAsync("w1");
        var outcome = grains.Router.TryRoute(TestGrains.Request());

        await grains.CompleteAsync(outcome);
        await grains.CompleteAsync(outcome);
        await grains.Router.CompleteAsync(new CompletionReport("nobody", 42, CompletionKind.Success, 1, 1, 1, 1));

        Assert.Equal(0, grains.Router.Members[0].InFlight);
        Assert.Equal(0, grains.Router.Members[0].ReservedBlocks);
    }

    [Fact]
    public async Task Complete_Failure_ReleasesWithoutLearning()
    {
        var grains = new TestGrains();
        await grains.AddWorkerAsync("w1");
        var outcome = grains.Router.TryRoute(TestGrains.Request());

        await grains.Router.CompleteAsync(new CompletionReport("w1", outcome.ReservationId, CompletionKind.FailedBeforeFirstByte, 0, 5, 0, 0));

        var snapshot = await grains.Directory.GetWorker("w1").GetSnapshotAsync();
        Assert.Equal(0, snapshot!.Observations);
        Assert.Equal(0, snapshot.InFlight);
    }

    [Fact]
    public async Task Dio_LearnsWhichWorkerIsFaster_AndPrefersIt()
    {
        var grains = new TestGrains();
        await grains.AddWorkerAsync("a100");
        await grains.AddWorkerAsync("t4");

        // Serve sequentially (no load): the T4 answers 6× slower. Route 60 requests, each completing at once.
        for (var i = 0; i < 60; i++)
        {
            var outcome = grains.Router.TryRoute(TestGrains.Request(promptTokens: 500 + (i * 37 % 3000)));
            var slow = outcome.WorkerId == "t4";
            var ttft = (slow ? 6 : 1) * (20 + (outcome.PromptTokens * 0.08));
            await grains.CompleteAsync(outcome, completionTokens: 100, ttftMs: ttft, e2eMs: ttft + (99 * (slow ? 60 : 10)));
        }

        // Probe one request at a time (each released before the next, so no load builds up).
        var picks = new List<RouteOutcome>();
        for (var i = 0; i < 20; i++)
        {
            var pick = grains.Router.TryRoute(TestGrains.Request());
            picks.Add(pick);
            await grains.Router.CompleteAsync(new CompletionReport(pick.WorkerId!, pick.ReservationId, CompletionKind.Cancelled, 0, 0, 0, 0));
        }

        Assert.All(picks, p => Assert.Equal("a100", p.WorkerId));
        Assert.InRange(picks[0].PredictedTtftMs, 85, 115);   // truth 20 + 0.08·1000 = 100 ms, learned from ~45 of its requests

        // Under load the T4 becomes the better choice: DIO spills over instead of piling onto the fast GPU.
        var held = Enumerable.Range(0, 40).Select(_ => grains.Router.TryRoute(TestGrains.Request())).ToList();
        Assert.Contains(held, p => p.WorkerId == "t4");
    }

    [Fact]
    public async Task Deregister_RemovesWorkerFromPool()
    {
        var grains = new TestGrains();
        await grains.AddWorkerAsync("w1");
        await grains.AddWorkerAsync("w2");

        await grains.Directory.GetWorker("w1").DeregisterAsync();

        Assert.Equal(["w2"], (await grains.Router.GetWorkersAsync()).Select(s => s.Registration.WorkerId));
        for (var i = 0; i < 5; i++)
        {
            var outcome = grains.Router.TryRoute(TestGrains.Request());
            Assert.Equal("w2", outcome.WorkerId);
            await grains.CompleteAsync(outcome);   // w2 is cold: slow start lets it hold one more request than it has learned from
        }
    }

    [Fact]
    public async Task SlowStart_ColdWorkersShareABurst_ThenTheLearnedFastOneTakesIt()
    {
        var grains = new TestGrains();
        await grains.AddWorkerAsync("w1");
        await grains.AddWorkerAsync("w2");

        // Cold: the prior rates both alike; each may hold one request before anything is learned.
        var first = grains.Router.TryRoute(TestGrains.Request());
        var second = grains.Router.TryRoute(TestGrains.Request());
        Assert.Equal(RouteVerdict.Routed, second.Verdict);
        Assert.NotEqual(first.WorkerId, second.WorkerId);
        Assert.Equal(RouteVerdict.Wait, grains.Router.TryRoute(TestGrains.Request()).Verdict);

        // Once a worker has learned from enough completions, it takes a burst on its own.
        await grains.CompleteAsync(second, ttftMs: 50, e2eMs: 500);
        for (var i = 0; i < new SchedulerOptions().SlowStartObservations; i++)
        {
            await grains.CompleteAsync(grains.Router.TryRoute(TestGrains.Request()), ttftMs: 50, e2eMs: 500);
        }

        var burst = Enumerable.Range(0, 5).Select(_ => grains.Router.TryRoute(TestGrains.Request())).ToList();
        Assert.All(burst, o => Assert.Equal(second.WorkerId, o.WorkerId));
    }
}
