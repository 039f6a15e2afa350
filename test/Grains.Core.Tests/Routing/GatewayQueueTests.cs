using Dio.Grains.Tests.Support;

namespace Dio.Grains.Tests.Routing;

/// <summary>The bounded wait queue, on virtual time.</summary>
public sealed class GatewayQueueTests
{
    /// <summary>A 10 s TTFT objective: long enough that waiting for the one running request can still meet it.</summary>
    private static RouteRequest Request() => TestPool.Request() with { TtftSloMs = 10_000 };

    [Fact]
    public async Task RouteAsync_NoRoomNow_WaitsAndIsRoutedWhenACompletionFreesKv()
    {
        var grains = new TestPool();
        grains.AddWorker("w1", blocks: 150);   // 69 blocks ×1.2 = 82.8 fit under 150 − 7.5 headroom once, not twice (150 − 69 − 7.5 = 73.5)
        var first = await grains.Router.RouteAsync(Request());
        Assert.Equal(RouteVerdict.Routed, first.Verdict);

        var second = grains.Router.RouteAsync(Request());
        Assert.False(second.IsCompleted);
        Assert.Equal(1, grains.Router.QueuedRequests);

        grains.Complete(first);
        var routed = await second;

        Assert.Equal(RouteVerdict.Routed, routed.Verdict);
        Assert.Equal(0, grains.Router.QueuedRequests);
    }

    [Fact]
    public async Task RouteAsync_NothingFreesRoomBeforeTheSlo_IsShedAtTheDeadline()
    {
        var grains = new TestPool();
        grains.AddWorker("w1", blocks: 150);
        await grains.Router.RouteAsync(Request());
        var waiting = grains.Router.RouteAsync(Request()).AsTask();

        grains.Time.Advance(TimeSpan.FromMilliseconds(9999));
        Assert.False(waiting.IsCompleted);
        grains.Time.Advance(TimeSpan.FromMilliseconds(1));
        var outcome = await waiting;

        Assert.Equal(RouteVerdict.Shed, outcome.Verdict);
        Assert.Equal(ShedReason.DeadlineExceeded, outcome.ShedReason);
        Assert.True(outcome.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Equal(0, grains.Router.QueuedRequests);
    }

    [Fact]
    public async Task RouteAsync_QueueAtItsBound_ShedsAtOnce()
    {
        // One worker, 150 blocks: C = min(256, ⌊2400 tokens / (1000 + 250)⌋) = 1 → Q_max = 2·1 = 2.
        var grains = new TestPool();
        grains.AddWorker("w1", blocks: 150);
        await grains.Router.RouteAsync(Request());
        var waiting = Enumerable.Range(0, 2).Select(_ => grains.Router.RouteAsync(Request()).AsTask()).ToList();

        var overflow = await grains.Router.RouteAsync(Request());

        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        Assert.Equal(RouteVerdict.Shed, overflow.Verdict);
        Assert.Equal(ShedReason.QueueFull, overflow.ShedReason);
    }

    [Fact]
    public async Task RouteAsync_ClientCancels_LeavesTheQueueAndHoldsNothing()
    {
        var grains = new TestPool();
        grains.AddWorker("w1", blocks: 150);
        var first = await grains.Router.RouteAsync(Request());
        using var cancel = new CancellationTokenSource();
        var waiting = grains.Router.RouteAsync(Request(), cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, grains.Router.QueuedRequests);
        grains.Complete(first);
        Assert.Equal(0, grains.Router.Members[0].ReservedBlocks);
    }

    [Fact]
    public void TryRoute_BaselinePolicy_NeverWaits_OversubscribesLikeItsOriginal()
    {
        var grains = new TestPool("round-robin");
        grains.AddWorker("w1", blocks: 150);

        var outcomes = Enumerable.Range(0, 5).Select(_ => grains.Router.TryRoute(Request())).ToList();

        Assert.All(outcomes, o => Assert.Equal(RouteVerdict.Routed, o.Verdict));
        Assert.Equal(5 * 69, grains.Router.Members[0].ReservedBlocks);   // tracked, but not enforced
    }
}
