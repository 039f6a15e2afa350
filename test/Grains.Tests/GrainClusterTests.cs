using Dio.Grains.Scheduling;
using Dio.Grains.Tests.Support;

namespace Dio.Grains.Tests;

/// <summary>DIO's grains in a real (in-process) Orleans cluster: the message flow, leases, persistence and re-activation.</summary>
public sealed class GrainClusterTests : IAsyncLifetime
{
    private DioTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await DioTestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RegisterRouteComplete_TheWorkerLearns()
    {
        await _cluster.RegisterAsync("w1");

        var outcome = await _cluster.Router.RouteAsync(new RouteRequest(DioTestCluster.Model, 1000, 0, 100, TtftSloMs: 60_000));
        Assert.Equal(RouteVerdict.Routed, outcome.Verdict);
        Assert.Equal("w1", outcome.WorkerId);
        Assert.Equal(1, (await _cluster.Router.GetStatusAsync()).OpenLeases);

        await _cluster.Router.StartedAsync(outcome.LeaseId);
        await _cluster.Router.CompleteAsync(new CompletionReport("w1", outcome.LeaseId, CompletionKind.Success, 120, 1500, 1000, 100));

        var worker = _cluster.Grains.GetGrain<IWorkerGrain>("w1");
        await DioTestCluster.EventuallyAsync(async () => (await worker.GetSnapshotAsync())!.Observations == 1, "w1 learned from its completion");
        Assert.Equal(0, (await _cluster.Router.GetStatusAsync()).OpenLeases);
        Assert.Equal(1500, (await worker.GetSnapshotAsync())!.MeanE2eMs);
    }

    [Fact]
    public async Task FirstToken_TheWorkerLearnsItsTtft_BeforeTheAnswerEnds()
    {
        await _cluster.RegisterAsync("w1");
        var outcome = await _cluster.Router.RouteAsync(new RouteRequest(DioTestCluster.Model, 1000, 0, 100, TtftSloMs: 60_000));

        await _cluster.Router.StartedAsync(outcome.LeaseId, ttftMs: 90);

        var worker = _cluster.Grains.GetGrain<IWorkerGrain>("w1");
        await DioTestCluster.EventuallyAsync(async () => (await worker.GetSnapshotAsync())!.Observations == 1, "w1 learned its first token");
        var snapshot = (await worker.GetSnapshotAsync())!;
        Assert.Equal(90, snapshot.MeanTtftMs);
        Assert.Equal(0, snapshot.MeanE2eMs);   // nothing about the end is known yet
        Assert.Equal(1, (await _cluster.Router.GetStatusAsync()).OpenLeases);
    }

    [Fact]
    public async Task LeaseNeverClosed_ExpiresOnTheReaper_AndTheWorkerTakesTrafficAgain()
    {
        await _cluster.RegisterAsync("w1", blocks: 150);   // room for one 1,100-token request
        var patient = new RouteRequest(DioTestCluster.Model, 1000, 0, 100, TtftSloMs: 60_000);
        var lost = await _cluster.Router.RouteAsync(patient);   // a frontend that crashes right after routing
        Assert.Equal(RouteVerdict.Routed, lost.Verdict);

        var waiting = _cluster.Router.RouteAsync(patient).AsTask();   // no room: waits in the queue
        await DioTestCluster.EventuallyAsync(async () => (await _cluster.Router.GetStatusAsync()).QueuedRequests == 1, "the second request queued");
        Assert.False(waiting.IsCompleted);

        _cluster.Time.Advance(new SchedulerOptions().LeasePeriod + TimeSpan.FromSeconds(8));   // past the period, then the reaper's next tick
        var routed = await waiting;

        Assert.Equal(RouteVerdict.Routed, routed.Verdict);
        var status = await _cluster.Router.GetStatusAsync();
        Assert.Equal(1, status.ExpiredLeases);
        Assert.Equal(1, status.OpenLeases);
    }

    [Fact]
    public async Task DeactivatedWorker_ReactivatesWithWhatItLearned()
    {
        await _cluster.RegisterAsync("w1");
        for (var i = 0; i < 5; i++)
        {
            var outcome = await _cluster.Router.RouteAsync(new RouteRequest(DioTestCluster.Model, 1000, 0, 100, TtftSloMs: 60_000));
            await _cluster.Router.CompleteAsync(new CompletionReport("w1", outcome.LeaseId, CompletionKind.Success, 100 + i, 1000 + i, 1000, 100));
        }

        var worker = _cluster.Grains.GetGrain<IWorkerGrain>("w1");
        await DioTestCluster.EventuallyAsync(async () => (await worker.GetSnapshotAsync())!.Observations == 5, "w1 learned from 5 completions");
        var before = (await worker.GetSnapshotAsync())!;

        await _cluster.Cluster.DeactivateAsync(worker);   // writes its state on the way out
        var after = (await worker.GetSnapshotAsync())!;

        Assert.Equal(5, after.Observations);
        Assert.Equal(before.PredictedTtftMs, after.PredictedTtftMs, 9);
        Assert.Equal(before.MeanE2eMs, after.MeanE2eMs, 9);
        Assert.Equal(before.Registration, after.Registration);
    }

    [Fact]
    public async Task DeactivatedRouter_RebuildsItsPoolFromTheWorkers()
    {
        await _cluster.RegisterAsync("w1");
        await _cluster.RegisterAsync("w2");

        await _cluster.Cluster.DeactivateAsync(_cluster.Router);
        var status = await _cluster.Router.GetStatusAsync();
        var outcome = await _cluster.Router.RouteAsync(new RouteRequest(DioTestCluster.Model, 1000, 0, 100, TtftSloMs: 60_000));

        Assert.Equal(2, status.Workers);
        Assert.Equal(RouteVerdict.Routed, outcome.Verdict);
    }

    [Fact]
    public async Task DeregisteredWorker_GetsNoTraffic_AndForgetsWhatItLearned()
    {
        await _cluster.RegisterAsync("w1");
        await _cluster.RegisterAsync("w2");
        var w1 = _cluster.Grains.GetGrain<IWorkerGrain>("w1");

        Assert.True(await w1.DeregisterAsync());

        Assert.False(await w1.HeartbeatAsync());
        Assert.Null(await w1.GetSnapshotAsync());
        Assert.DoesNotContain(await _cluster.Grains.GetGrain<IFleetRegistryGrain>(IFleetRegistryGrain.Key).ListAsync(), e => e.WorkerId == "w1");
        await DioTestCluster.EventuallyAsync(async () => (await _cluster.Router.GetStatusAsync()).Workers == 1, "w1 left the pool");
        for (var i = 0; i < 4; i++)
        {
            var outcome = await _cluster.Router.RouteAsync(new RouteRequest(DioTestCluster.Model, 100, 0, 10, TtftSloMs: 60_000));
            Assert.Equal("w2", outcome.WorkerId);
            await _cluster.Router.CompleteAsync(new CompletionReport("w2", outcome.LeaseId, CompletionKind.Cancelled, 0, 0, 0, 0));
        }
    }

    [Fact]
    public async Task CancelledWhileWaiting_LeavesTheQueueAndHoldsNothing()
    {
        await _cluster.RegisterAsync("w1", blocks: 150);
        var patient = new RouteRequest(DioTestCluster.Model, 1000, 0, 100, TtftSloMs: 60_000);
        var first = await _cluster.Router.RouteAsync(patient);
        using var cancel = new CancellationTokenSource();
        var waiting = _cluster.Router.RouteAsync(patient, cancel.Token).AsTask();
        await DioTestCluster.EventuallyAsync(async () => (await _cluster.Router.GetStatusAsync()).QueuedRequests == 1, "the second request queued");

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await DioTestCluster.EventuallyAsync(async () => (await _cluster.Router.GetStatusAsync()).QueuedRequests == 0, "the request left the queue");
        await _cluster.Router.CompleteAsync(new CompletionReport("w1", first.LeaseId, CompletionKind.Cancelled, 0, 0, 0, 0));
        await DioTestCluster.EventuallyAsync(async () => (await _cluster.Router.GetStatusAsync()).OpenLeases == 0, "no lease is left");
    }
}
