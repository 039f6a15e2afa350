using Dio.Grains.Routing;
using Dio.Grains.Tests.Support;

namespace Dio.Grains.Tests.Routing;

/// <summary>A worker's readings are evidence about the leases on it: fewer engine requests than requests that
/// started before the reading means some lease was leaked, and it is given back long before it would expire.
/// Round robin, so that a cold worker's slow start does not hold the second request back.</summary>
public sealed class LeakEvidenceTests
{
    private static TestPool Pool() => new("round-robin");

    [Fact]
    public void LeaseTheEngineNoLongerRuns_IsGivenBackAfterTwoReadings_NotAtExpiry()
    {
        var grains = Pool();
        grains.AddWorker("w1");
        var leaked = grains.Router.TryRoute(TestPool.Request());
        grains.Router.Started(leaked.LeaseId);
        var blocksHeld = grains.Router.Members[0].ReservedBlocks;
        Assert.True(blocksHeld > 0);

        grains.Time.Advance(TimeSpan.FromSeconds(1));
        grains.Report("w1", kvUsage: 0, running: 0);
        Assert.Equal(1, grains.Router.Members[0].InFlight);   // one reading can race a completion report: not yet

        grains.Time.Advance(TimeSpan.FromSeconds(1));
        grains.Report("w1", kvUsage: 0, running: 0);

        Assert.Equal(0, grains.Router.Members[0].InFlight);
        Assert.Equal(1, grains.Router.ReclaimedLeases);
        Assert.Equal(0, grains.Router.ExpiredLeases);
    }

    [Fact]
    public void OnlyTheExcess_IsGivenBack_OldestFirst()
    {
        var grains = Pool();
        grains.AddWorker("w1");
        var oldest = grains.Router.TryRoute(TestPool.Request());
        grains.Router.Started(oldest.LeaseId);
        grains.Time.Advance(TimeSpan.FromMilliseconds(100));
        var younger = grains.Router.TryRoute(TestPool.Request());
        grains.Router.Started(younger.LeaseId);

        for (var i = 0; i < 3; i++)
        {
            grains.Time.Advance(TimeSpan.FromSeconds(1));
            grains.Report("w1", kvUsage: 0.05, running: 1);   // the engine runs one of the two
        }

        Assert.Equal(1, grains.Router.Members[0].InFlight);
        Assert.Equal(1, grains.Router.ReclaimedLeases);

        // The younger one is the survivor: its completion still closes it, and the worker's count reaches zero.
        grains.Complete(younger);
        Assert.Equal(0, grains.Router.Members[0].InFlight);
    }

    [Fact]
    public void ReadingsThatShowEveryRequest_NeverGiveAnythingBack()
    {
        var grains = Pool();
        grains.AddWorker("w1");
        var a = grains.Router.TryRoute(TestPool.Request());
        var b = grains.Router.TryRoute(TestPool.Request());
        grains.Router.Started(a.LeaseId);
        grains.Router.Started(b.LeaseId);

        for (var i = 0; i < 5; i++)
        {
            grains.Time.Advance(TimeSpan.FromSeconds(1));
            grains.Report("w1", kvUsage: 0.1, running: 1, waiting: 1);
        }

        Assert.Equal(2, grains.Router.Members[0].InFlight);
        Assert.Equal(0, grains.Router.ReclaimedLeases);
    }

    [Fact]
    public void ReadingsMissingALeaseOnce_ThenShowingIt_ResetTheCount()
    {
        var grains = Pool();
        grains.AddWorker("w1");
        var outcome = grains.Router.TryRoute(TestPool.Request());
        grains.Router.Started(outcome.LeaseId);

        for (var i = 0; i < 4; i++)
        {
            grains.Time.Advance(TimeSpan.FromSeconds(1));
            grains.Report("w1", kvUsage: 0.1, running: i % 2);   // missing, seen, missing, seen: never twice in a row
        }

        Assert.Equal(0, grains.Router.ReclaimedLeases);
        Assert.Equal(1, grains.Router.Members[0].InFlight);
    }

    [Fact]
    public void ReclaimedLease_StillTeachesWhenItsLateReportArrives_AndReleasesNothingTwice()
    {
        var grains = Pool();
        grains.AddWorker("w1");
        var slowClient = grains.Router.TryRoute(TestPool.Request());
        grains.Router.Started(slowClient.LeaseId);
        for (var i = 0; i < RoutingPool.LeakReadings; i++)
        {
            grains.Time.Advance(TimeSpan.FromSeconds(1));
            grains.Report("w1", kvUsage: 0, running: 0);   // vLLM finished; the frontend still relays to a slow client
        }

        var other = grains.Router.TryRoute(TestPool.Request());
        var observationsBefore = grains.Fleet.Snapshot("w1")!.Observations;

        grains.Complete(slowClient);

        Assert.Equal(1, grains.Router.Members[0].InFlight);   // the other request's, untouched
        Assert.Equal(observationsBefore + 1, grains.Fleet.Snapshot("w1")!.Observations);
        grains.Complete(other);
        Assert.Equal(0, grains.Router.Members[0].InFlight);
        Assert.Equal(0, grains.Router.OpenLeases);
    }
}
