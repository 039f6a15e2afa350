using Dio.Grains.Tests.Support;
using Dio.Testing;

namespace Dio.Grains.Tests;

/// <summary>Two silos, state in a real redis-server: when one silo stops, its grains come back on the other with
/// their state, and routing goes on.</summary>
public sealed class TwoSiloTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task OneSiloStops_ItsGrainsComeBackOnTheOther_WithTheirState_AndRoutingGoesOn()
    {
        await using var cluster = await DioTestCluster.StartAsync(silos: 2, redis: redis.ConnectionString);
        var ids = Enumerable.Range(0, 6).Select(i => $"w{i}").ToArray();
        foreach (var id in ids)
        {
            await cluster.RegisterAsync(id);
        }

        for (var i = 0; i < 24; i++)
        {
            var outcome = await cluster.Router.RouteAsync(new RouteRequest(DioTestCluster.Model, 1000, 0, 100, TtftSloMs: 60_000));
            Assert.Equal(RouteVerdict.Routed, outcome.Verdict);
            await cluster.Router.CompleteAsync(new CompletionReport(outcome.WorkerId!, outcome.LeaseId, CompletionKind.Success, 100, 1000, 1000, 100));
        }

        async Task<long> LearnedAsync() => (await Task.WhenAll(ids.Select(id => cluster.Grains.GetGrain<IWorkerGrain>(id).GetSnapshotAsync())))
            .Sum(s => s!.Observations);
        await DioTestCluster.EventuallyAsync(async () => await LearnedAsync() == 24, "every completion learned");
        var before = await Task.WhenAll(ids.Select(id => cluster.Grains.GetGrain<IWorkerGrain>(id).GetSnapshotAsync()));

        var secondary = cluster.Cluster.Silos.Single(s => s != cluster.Cluster.Silos[0]);
        await cluster.Cluster.StopSiloAsync(secondary);

        var after = await Task.WhenAll(ids.Select(id => cluster.Grains.GetGrain<IWorkerGrain>(id).GetSnapshotAsync()));
        Assert.Equal(before.Select(s => (s!.Registration, s.Observations, s.MeanE2eMs)), after.Select(s => (s!.Registration, s.Observations, s.MeanE2eMs)));
        var routed = await cluster.Router.RouteAsync(new RouteRequest(DioTestCluster.Model, 1000, 0, 100, TtftSloMs: 60_000));
        Assert.Equal(RouteVerdict.Routed, routed.Verdict);
        Assert.Equal(6, (await cluster.Router.GetStatusAsync()).Workers);
        Assert.Equal(6, (await cluster.Grains.GetGrain<IFleetRegistryGrain>(IFleetRegistryGrain.Key).ListAsync()).Length);
    }
}
