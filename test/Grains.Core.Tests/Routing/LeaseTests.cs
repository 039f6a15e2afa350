using Dio.Grains.Scheduling;
using Dio.Grains.Tests.Support;

namespace Dio.Grains.Tests.Routing;

/// <summary>Leases: expiry is the backstop for whatever a crashed frontend or a lost message leaves open; every
/// sign of life renews them.</summary>
public sealed class LeaseTests
{
    private static readonly TimeSpan Period = new SchedulerOptions().LeasePeriod;

    /// <summary>A 10 s objective, so that a request with no room waits rather than being shed.</summary>
    private static RouteRequest Patient() => TestPool.Request() with { TtftSloMs = 10_000 };

    [Fact]
    public void LeaseNeverClosed_ExpiresAfterOnePeriod_AndItsWorkerTakesTrafficAgain()
    {
        var grains = new TestPool();
        grains.AddWorker("w1", blocks: 150);   // room for one request of 69 blocks (×1.2 + headroom)
        var lost = grains.Router.TryRoute(Patient());
        Assert.Equal(RouteVerdict.Routed, lost.Verdict);
        Assert.Equal(RouteVerdict.Wait, grains.Router.TryRoute(Patient()).Verdict);

        grains.Time.Advance(Period);
        Assert.Equal(0, grains.Router.ExpireLeases());   // not yet: exactly one period old
        grains.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, grains.Router.ExpireLeases());

        Assert.Equal(0, grains.Router.OpenLeases);
        Assert.Equal(0, grains.Router.Members[0].ReservedBlocks);
        Assert.Equal(0, grains.Router.Members[0].InFlight);
        Assert.Equal(1, grains.Router.ExpiredLeases);
        Assert.Equal(RouteVerdict.Routed, grains.Router.TryRoute(Patient()).Verdict);
    }

    [Fact]
    public void RenewedLease_OutlivesManyPeriods_ThenCloses()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        var streaming = grains.Router.TryRoute(TestPool.Request());

        for (var i = 0; i < 5; i++)
        {
            grains.Time.Advance(Period / 3);
            Assert.Equal(1, grains.Router.Renew([streaming.LeaseId]));
            Assert.Equal(0, grains.Router.ExpireLeases());
        }

        grains.Complete(streaming);
        Assert.Equal(0, grains.Router.OpenLeases);
        Assert.Equal(0, grains.Router.Renew([streaming.LeaseId]));   // closed: nothing to renew
    }

    [Fact]
    public void ReadingThatShowsTheRequestsRunning_RenewsTheirLeases()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        var outcome = grains.Router.TryRoute(TestPool.Request());
        grains.Router.Started(outcome.LeaseId);

        grains.Time.Advance(Period * 0.9);
        grains.Report("w1", kvUsage: 0.1, running: 1);   // the engine runs one request: ours
        grains.Time.Advance(Period * 0.9);

        Assert.Equal(0, grains.Router.ExpireLeases());
        Assert.Equal(1, grains.Router.OpenLeases);
    }

    [Fact]
    public void ReadingThatShowsFewerRunning_DoesNotRenew()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        var outcome = grains.Router.TryRoute(TestPool.Request());
        grains.Router.Started(outcome.LeaseId);

        grains.Time.Advance(Period * 0.9);
        grains.Report("w1", kvUsage: 0, running: 0);   // the engine is idle: the request is gone, its lease leaked
        grains.Time.Advance(Period * 0.2);

        Assert.Equal(1, grains.Router.ExpireLeases());
    }

    [Fact]
    public void LateCompletionOfAnExpiredLease_IsIgnored()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        var outcome = grains.Router.TryRoute(TestPool.Request());
        grains.Time.Advance(Period + TimeSpan.FromSeconds(1));
        grains.Router.ExpireLeases();
        var next = grains.Router.TryRoute(TestPool.Request());

        grains.Complete(outcome);

        Assert.Equal(1, grains.Router.OpenLeases);   // the new lease is untouched
        Assert.Equal(1, grains.Router.Members[0].InFlight);
        grains.Complete(next);
        Assert.Equal(0, grains.Router.Members[0].InFlight);
    }
}
