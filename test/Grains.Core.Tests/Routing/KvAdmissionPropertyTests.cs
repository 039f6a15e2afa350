using Dio.Grains.Scheduling;
using Dio.Grains.Tests.Support;

namespace Dio.Grains.Tests.Routing;

/// <summary>Randomized fleets, readings and requests (seeded): DIO never admits a request whose blocks exceed
/// what is free on the worker it picks, as the worker's own accounting saw it at that moment.</summary>
public sealed class KvAdmissionPropertyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Dio_NeverAdmitsBeyondFreeKv(int seed)
    {
        var random = new Random(seed);
        var options = new SchedulerOptions();
        var grains = new TestPool(options: options);
        var workers = Enumerable.Range(0, random.Next(1, 9)).Select(i => $"w{i}").ToList();
        foreach (var id in workers)
        {
            grains.AddWorker(id, blocks: random.Next(100, 3000), maxModelLen: 8192);
        }

        var open = new List<RouteOutcome>();
        var routed = 0;
        for (var step = 0; step < 3000; step++)
        {
            var action = random.NextDouble();
            if (action < 0.15)
            {
                grains.Report(workers[random.Next(workers.Count)], kvUsage: random.NextDouble() * 0.9);
            }
            else if (action < 0.45 && open.Count > 0)
            {
                var index = random.Next(open.Count);
                grains.Complete(open[index], completionTokens: random.Next(1, 600));
                open.RemoveAt(index);
            }
            else
            {
                var before = grains.Router.Members.ToArray().ToDictionary(s => s.WorkerId, s => (s.UsedBlocks, s.ReservedBlocks));
                var outcome = grains.Router.TryRoute(TestPool.Request(random.Next(10, 6000), random.Next(1, 2000)));
                if (outcome.Verdict != RouteVerdict.Routed)
                {
                    continue;
                }

                routed++;
                var state = grains.Router.Members.ToArray().Single(s => s.WorkerId == outcome.WorkerId);
                var (used, reservedBefore) = before[outcome.WorkerId!];
                var blocks = state.ReservedBlocks - reservedBefore;
                var total = state.Registration.NumGpuBlocks;
                var required = KvAdmission.RequiredBlocks(blocks, total, options.KvSafetyFactor, options.KvHeadroom);
                Assert.True(required <= total - used - reservedBefore - (options.KvHeadroom * total) + 1e-9,
                    $"step {step}: {blocks} blocks (σ → {required:F1}) admitted on {outcome.WorkerId} with {total} total, {used} used, {reservedBefore} reserved");
                open.Add(outcome);
            }
        }

        Assert.True(routed > 300, $"only {routed} requests were routed: the property was barely exercised");
    }
}
