using System.Net.Http.Json;
using Dio.FrontendApi.Demo;
using Dio.FrontendApi.Tests.Support;
using Dio.Testing;

namespace Dio.FrontendApi.Tests.Metrics;

/// <summary>
/// Metrics in a deployed cluster: two silo processes found through Redis, a frontend in cluster mode, an emulated
/// fleet. Every process serves its own /metrics, none is empty, each passes promtool, and each exports what it
/// holds itself: a worker's series come from the one silo holding its grain, the pool's from the silo holding the
/// router grain, the requests' from the frontend. Real processes and sockets, so conditions are polled with generous
/// bounds; what is asserted is what the scrapes showed.
/// </summary>
[Collection(MetricsReaders.Name)]
public sealed class ClusterMetricsTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string AdminKey = "metrics-admin";
    private const string SidecarToken = "metrics-sidecar";

    [Fact]
    public async Task TwoSilosAndAFrontend_EachExportsWhatItHolds_NoneEmpty_AllPassPromtool()
    {
        var cluster = $"dio-{Guid.NewGuid():N}";
        await using var first = await SiloProcess.StartAsync(redis.ConnectionString, cluster, AdminKey, SidecarToken);
        await using var second = await SiloProcess.StartAsync(redis.ConnectionString, cluster, AdminKey, SidecarToken);
        var (gateway, url) = await ClusterFrontend.StartAsync(redis.ConnectionString, cluster, AdminKey, SidecarToken);
        var fleet = await DemoFleet.StartAsync(url, SidecarToken, "1xA100-80GB,2xL4", 20, CancellationToken.None);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };
        try
        {
            var workers = fleet.Workers.Select(w => w.WorkerId).ToList();
            var served = new HashSet<string>(StringComparer.Ordinal);
            await EventuallyAsync(async () =>
            {
                served.UnionWith((await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => StreamAsync(http, url)))).OfType<string>());
                return served.Count > 0;
            }, "answers through the cluster");

            PrometheusText[] silos = [];
            await EventuallyAsync(async () =>
            {
                silos = await Task.WhenAll(new[] { first, second }.Select(s => PrometheusText.ScrapeAsync(http, s.Url)));
                return workers.All(w => silos.Count(page => page.Value("dio_worker_kv_blocks_capacity", ("worker", w)) is not null) == 1)
                    && silos.Count(page => page.Value("dio_router_workers", ("model", GatewayFixture.Model)) == workers.Count) == 1
                    && served.All(w => silos.Any(page => page.Value("dio_worker_ttft_seconds_count", ("worker", w)) >= 1));
            }, "every worker and the pool exported by a silo, every served worker's completion recorded");
            var frontend = await PrometheusText.ScrapeAsync(http, url);

            // Each worker grain's series on the silo holding it, and only there.
            foreach (var worker in workers)
            {
                var holder = Assert.Single(silos, page => page.Value("dio_worker_kv_blocks_capacity", ("worker", worker)) is not null);
                Assert.NotNull(holder.Value("dio_worker_healthy", ("worker", worker)));
                if (served.Contains(worker))
                {
                    Assert.True(holder.Value("dio_worker_ttft_seconds_count", ("worker", worker)) >= 1, $"{worker}'s TTFT on its silo");
                }

                Assert.All(silos.Where(page => page != holder), page => Assert.Empty(page.Series("dio_worker_ttft_seconds_count", ("worker", worker))));
            }

            // The pool's series, per worker ones included, on the silo holding the router grain, and only there.
            var router = Assert.Single(silos, page => page.Value("dio_router_workers", ("model", GatewayFixture.Model)) is not null);
            Assert.True(router.Series("dio_router_decisions_total", ("verdict", "Routed")).Sum(s => s.Value) >= 1);
            Assert.All(workers, w => Assert.NotNull(router.Value("dio_worker_requests_in_flight", ("worker", w))));
            Assert.All(silos.Where(page => page != router), page => Assert.DoesNotContain(page.Names, n => n.StartsWith("dio_router_", StringComparison.Ordinal)));

            // The frontend holds no grain: it exports the requests it served.
            Assert.True(frontend.Value("dio_gateway_requests_total", ("model", GatewayFixture.Model), ("outcome", "completed")) >= 1);
            Assert.DoesNotContain(frontend.Names, n => n.StartsWith("dio_worker_", StringComparison.Ordinal) || n.StartsWith("dio_router_", StringComparison.Ordinal));

            // None is empty, and every page is one Prometheus accepts as it is.
            foreach (var (name, target) in new[] { ("silo 1", first.Url), ("silo 2", second.Url), ("frontend", url) })
            {
                var page = await http.GetStringAsync(new Uri(target, "/metrics"));
                Assert.Contains("dotnet_process_cpu_time_seconds_total", page, StringComparison.Ordinal);
                Assert.Contains("orleans_", page, StringComparison.Ordinal);
                var (exitCode, output) = await Promtool.CheckMetricsAsync(page);
                Assert.True(exitCode == 0, $"{name}: promtool check metrics exited {exitCode}:\n{output}");
            }
        }
        finally
        {
            await GatewayFixture.StopAsync(fleet, gateway);
        }
    }

    /// <summary>One streamed answer read to its end: the worker that served it, or null when it was not served.</summary>
    private static async Task<string?> StreamAsync(HttpClient http, Uri url)
    {
        using var response = await http.PostAsJsonAsync(new Uri(url, "/v1/chat/completions"), new
        {
            model = GatewayFixture.Model, messages = new[] { new { role = "user", content = "which silo holds you?" } }, max_tokens = 8, stream = true,
        });
        await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? response.Headers.GetValues("X-Dio-Worker").Single() : null;
    }

    /// <summary>Real processes on a loaded 2-core machine: the bound is generous and says nothing about speed.</summary>
    private static Task EventuallyAsync(Func<Task<bool>> condition, string what) => GatewayFixture.WaitUntilAsync(condition, what, seconds: 90);
}
