using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dio.FrontendApi.Demo;
using Dio.FrontendApi.Tests.Support;
using Dio.Testing;
using Microsoft.AspNetCore.Builder;

namespace Dio.FrontendApi.Tests;

/// <summary>
/// The control plane as deployed: silo processes that find each other through a real redis-server, a frontend in
/// cluster mode, an emulated fleet whose sidecars register through the frontend's control API. Real processes,
/// real sockets, SIGKILL; so conditions are polled with generous bounds, and what is asserted is what held.
/// </summary>
public sealed class ClusterProcessTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string AdminKey = "cluster-admin";
    private const string SidecarToken = "cluster-sidecar";
    private const string Fleet = "1xA100-80GB,2xL4";

    [Fact]
    public async Task OneOfTwoSilosKilledMidTraffic_NoRegistrationLost_NoRequestHangs_AndAFullRestartKeepsEverything()
    {
        var cluster = $"dio-{Guid.NewGuid():N}";
        var silos = new[] { await SiloProcess.StartAsync(redis.ConnectionString, cluster, AdminKey, SidecarToken),
            await SiloProcess.StartAsync(redis.ConnectionString, cluster, AdminKey, SidecarToken) };
        var (gateway, url) = await StartFrontendAsync(cluster);
        var fleet = await DemoFleet.StartAsync(url, SidecarToken, Fleet, 20, CancellationToken.None);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };   // a hung request fails the test
        try
        {
            await EventuallyAsync(async () => (await WorkersAsync(http, url)).Count(w => w.GetProperty("healthy").GetBoolean()) == 3, "3 workers registered");
            for (var i = 0; i < 9; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await ChatAsync(http, url)).Status);
            }

            // Traffic from four clients; one silo is SIGKILLed while it flows.
            using var stop = new CancellationTokenSource();
            var outcomes = new List<(HttpStatusCode Status, bool RetryAfter, DateTimeOffset At)>();
            var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var outcome = await ChatAsync(http, url);
                    lock (outcomes)
                    {
                        outcomes.Add((outcome.Status, outcome.RetryAfter, DateTimeOffset.UtcNow));
                    }
                }
            })).ToList();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var killedAt = DateTimeOffset.UtcNow;
            silos[1].Kill();
            await Task.Delay(TimeSpan.FromSeconds(25));   // membership declares it dead; its grains move to the survivor
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            Assert.All(outcomes, o => Assert.True(o.Status == HttpStatusCode.OK || (o.Status == HttpStatusCode.ServiceUnavailable && o.RetryAfter),
                $"a request answered {(int)o.Status}{(o.RetryAfter ? "" : " without Retry-After")}"));
            Assert.Contains(outcomes, o => o.Status == HttpStatusCode.OK && o.At > killedAt);
            await EventuallyAsync(async () => (await ChatAsync(http, url)).Status == HttpStatusCode.OK, "routing goes on after the kill");
            Assert.Equal(3, (await WorkersAsync(http, url)).Count);
        }
        finally
        {
            await GatewayFixture.StopAsync(fleet, gateway);
        }

        // Everything stops (the survivor gracefully), then a new cluster starts on the same Redis.
        var before = await SnapshotAsync(silos[0].Url, http);
        await silos[0].StopAsync();
        await silos[1].DisposeAsync();
        await using var restarted = await SiloProcess.StartAsync(redis.ConnectionString, cluster, AdminKey, SidecarToken);
        await using var second = await SiloProcess.StartAsync(redis.ConnectionString, cluster, AdminKey, SidecarToken);
        var after = await SnapshotAsync(restarted.Url, http);

        Assert.Equal(3, after.Count);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, w => Assert.Equal(w.Value, after[w.Key]));
        Assert.True(before.Values.Sum(v => v.Observations) >= 9, "the predictors had learned before the restart");
        await silos[0].DisposeAsync();
    }

    [Fact]
    public async Task RedisPausedForTenSeconds_RoutingGoesOnFromMemory_AndPersistenceCatchesUp()
    {
        var cluster = $"dio-{Guid.NewGuid():N}";
        var silo = await SiloProcess.StartAsync(redis.ConnectionString, cluster, AdminKey, SidecarToken);
        var (gateway, url) = await StartFrontendAsync(cluster);
        var fleet = await DemoFleet.StartAsync(url, SidecarToken, "2xL4", 20, CancellationToken.None);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };
        Dictionary<string, (string Registration, long Observations, double MeanE2eMs)> learned;
        try
        {
            await EventuallyAsync(async () => (await WorkersAsync(http, url)).Count(w => w.GetProperty("healthy").GetBoolean()) == 2, "2 workers registered");

            await redis.PauseAsync();
            var during = new List<HttpStatusCode>();
            var resumeAt = DateTimeOffset.UtcNow.AddSeconds(10);
            try
            {
                while (DateTimeOffset.UtcNow < resumeAt)
                {
                    during.Add((await ChatAsync(http, url)).Status);
                }
            }
            finally
            {
                await redis.ResumeAsync();
            }

            Assert.True(during.Count >= 5, $"only {during.Count} requests in 10 s");
            Assert.All(during, status => Assert.Equal(HttpStatusCode.OK, status));

            // What was learned while Redis was away reaches it once it is back: a silo SIGKILLed now (nothing written
            // at shutdown) still leaves it all behind.
            learned = await SnapshotAsync(silo.Url, http);
            Assert.True(learned.Values.Sum(v => v.Observations) >= during.Count, "the workers learned during the pause");
            await Task.Delay(TimeSpan.FromSeconds(8));   // writes that timed out (5 s) give up, then a few persist periods (200 ms)
            learned = await SnapshotAsync(silo.Url, http);
            silo.Kill();
        }
        finally
        {
            await GatewayFixture.StopAsync(fleet, gateway);
        }

        // A new deployment (new cluster id, same service id): the killed silo is still "active" in the old cluster's
        // membership, and a silo joining that cluster would first have to vote it dead.
        await using var restarted = await SiloProcess.StartAsync(redis.ConnectionString, $"{cluster}-next", AdminKey, SidecarToken, serviceId: cluster);
        var restored = await SnapshotAsync(restarted.Url, http);
        Assert.Equal(2, restored.Count);
        Assert.All(learned, w => Assert.Equal(w.Value, restored[w.Key]));
        await silo.DisposeAsync();
    }

    [Fact]
    public async Task SecondSiloOnTakenPorts_FailsAtStartWithAClearMessage_AndTheFirstStaysUp()
    {
        var cluster = $"dio-{Guid.NewGuid():N}";
        await using var first = await SiloProcess.StartAsync(redis.ConnectionString, cluster, AdminKey, SidecarToken);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SiloProcess.StartAsync(redis.ConnectionString, cluster, AdminKey, SidecarToken, first.SiloPort, first.GatewayPort));

        Assert.Contains($"Cluster:SiloPort {first.SiloPort} is already in use", error.Message, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(first.Url, "/health/live"))).StatusCode);
        using var pools = new HttpRequestMessage(HttpMethod.Get, new Uri(first.Url, "/control/pools"));
        pools.Headers.Add("X-Dio-Admin-Key", AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(pools)).StatusCode);   // its grains still answer
    }

    private Task<(WebApplication Gateway, Uri Url)> StartFrontendAsync(string cluster) =>
        ClusterFrontend.StartAsync(redis.ConnectionString, cluster, AdminKey, SidecarToken);

    private static async Task<(HttpStatusCode Status, bool RetryAfter)> ChatAsync(HttpClient http, Uri url)
    {
        using var response = await http.PostAsJsonAsync(new Uri(url, "/v1/chat/completions"), new
        {
            model = GatewayFixture.Model, messages = new[] { new { role = "user", content = "through a cluster of processes" } }, max_tokens = 8, stream = true,
        });
        await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.RetryAfter is not null);
    }

    private static async Task<List<JsonElement>> WorkersAsync(HttpClient http, Uri url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/control/workers"));
        request.Headers.Add("X-Dio-Admin-Key", AdminKey);
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<List<JsonElement>>() ?? [] : [];
    }

    /// <summary>Per worker: its registration and what its predictor learned, as the control API shows them.</summary>
    private static async Task<Dictionary<string, (string Registration, long Observations, double MeanE2eMs)>> SnapshotAsync(Uri url, HttpClient http)
    {
        var workers = new List<JsonElement>();
        await EventuallyAsync(async () => (workers = await WorkersAsync(http, url)).Count > 0, "the control API answers");
        return workers.ToDictionary(w => w.GetProperty("registration").GetProperty("workerId").GetString()!,
            w => (w.GetProperty("registration").ToString(), w.GetProperty("observations").GetInt64(), w.GetProperty("meanE2eMs").GetDouble()));
    }

    /// <summary>Polls a condition the cluster reaches on its own (membership, re-activation), failing after 90 s: real
    /// processes on a loaded 2-core machine, so the bound is generous and says nothing about speed.</summary>
    private static Task EventuallyAsync(Func<Task<bool>> condition, string what) => GatewayFixture.WaitUntilAsync(condition, what, seconds: 90);
}
