using Dio.Grains.Policies;
using Dio.Grains.Tests.Support;

namespace Dio.Grains.Tests.Routing;

public sealed class ConcurrencyTests
{
    public static TheoryData<string> Policies => [.. RoutingPolicyNames.All];

    /// <summary>Many threads routing, starting and completing at once, with readings arriving, for every policy:
    /// afterwards every lease is released and every counter is back to zero.</summary>
    [Theory]
    [MemberData(nameof(Policies))]
    public async Task ManyThreads_RouteAndComplete_LeaveEveryLeaseReleased(string policy)
    {
        var grains = new TestPool(policy, new Dio.Grains.Scheduling.SchedulerOptions { FaithfulSloMs = 1e9 });
        for (var i = 0; i < 6; i++)
        {
            grains.AddWorker($"w{i}", blocks: 4000);
        }

        var routedCount = 0;
        var tasks = Enumerable.Range(0, 8).Select(thread => Task.Run(async () =>
        {
            var random = new Random(thread);
            for (var i = 0; i < 1500; i++)
            {
                var outcome = await grains.Router.RouteAsync(TestPool.Request(random.Next(10, 3000), random.Next(1, 500)));
                if (outcome.Verdict != RouteVerdict.Routed)
                {
                    continue;
                }

                Interlocked.Increment(ref routedCount);
                if (random.Next(2) == 0)
                {
                    grains.Router.Started(outcome.LeaseId);
                }

                if (random.Next(10) == 0)
                {
                    grains.Report(outcome.WorkerId!, kvUsage: random.NextDouble() * 0.5);
                }

                var kind = random.Next(10) == 0 ? CompletionKind.Cancelled : CompletionKind.Success;   // failures would make workers unhealthy
                grains.Fleet.Complete(new CompletionReport(outcome.WorkerId!, outcome.LeaseId, kind, 50, 500,
                    outcome.PromptTokens, random.Next(1, 500)));
            }
        })).ToArray();

        await Task.WhenAll(tasks);

        Assert.True(routedCount > 1000, $"{routedCount} routed");
        Assert.Equal(0, grains.Router.QueuedRequests);
        foreach (var state in grains.Router.Members.ToArray())
        {
            Assert.Equal(0, state.InFlight);
            Assert.Equal(0, state.ReservedBlocks);
            Assert.Equal(0, state.UncoveredRequests);
            Assert.Equal(0, state.ActivePromptBlocks);
            Assert.Equal(0, state.PendingPrefillTokens);
        }
    }
}
