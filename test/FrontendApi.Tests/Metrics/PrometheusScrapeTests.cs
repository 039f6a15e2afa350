using Dio.FrontendApi.Tests.Support;

namespace Dio.FrontendApi.Tests.Metrics;

/// <summary>
/// A real Prometheus scraping the demo gateway: what the dashboard needs arrives through Prometheus itself, for every
/// worker, and every expression of the dashboard is valid PromQL. Real processes and sockets, so conditions are
/// polled with generous bounds; what is asserted is what Prometheus answered.
/// </summary>
[Collection(MetricsReaders.Name)]
public sealed class PrometheusScrapeTests(TrafficFixture gateway) : IClassFixture<TrafficFixture>
{
    [Fact]
    public async Task Prometheus_ScrapesTheGateway_AndHasKvUseAndTtftHistogramsForEveryWorker()
    {
        await using var prometheus = await PrometheusServer.StartAsync([gateway.Url]);
        // Two successful scrapes (up is 1 for each): the first may predate the last recorded completions.
        await GatewayFixture.WaitUntilAsync(async () =>
            (await prometheus.VectorByAsync($"sum(sum_over_time(up{{job=\"{PrometheusServer.Job}\"}}[5m]))", "")).GetValueOrDefault("") >= 2,
            "two successful scrapes of the gateway", seconds: 60);

        var kvUse = await prometheus.VectorByAsync("sum by (worker) (dio_worker_kv_blocks_used) / sum by (worker) (dio_worker_kv_blocks_capacity)", "worker");
        var reserved = await prometheus.VectorByAsync("sum by (worker) (dio_worker_kv_blocks_reserved)", "worker");
        var ttftCount = await prometheus.VectorByAsync("sum by (worker) (dio_worker_ttft_seconds_count)", "worker");
        var ttftMedian = await prometheus.VectorByAsync("histogram_quantile(0.5, sum by (worker, le) (dio_worker_ttft_seconds_bucket))", "worker");
        var predictedMedian = await prometheus.VectorByAsync("histogram_quantile(0.5, sum by (worker, le) (dio_worker_predicted_ttft_seconds_bucket))", "worker");

        foreach (var worker in gateway.Workers.Select(w => w.WorkerId))
        {
            Assert.True(kvUse.TryGetValue(worker, out var use), $"no KV use for {worker}");
            Assert.InRange(use, 0, 1);
            Assert.True(reserved.ContainsKey(worker), $"no reserved blocks for {worker}");
            Assert.True(ttftCount.GetValueOrDefault(worker) >= 1, $"no TTFT samples for {worker}");
            Assert.InRange(ttftMedian[worker], 1e-4, 60);   // seconds, inside the buckets
            Assert.InRange(predictedMedian[worker], 1e-4, 60);
        }
    }

    [Fact]
    public async Task EveryDashboardExpression_IsValidPromQl()
    {
        await using var prometheus = await PrometheusServer.StartAsync([gateway.Url]);

        foreach (var (where, expression, _) in DashboardTests.Expressions())
        {
            // Grafana's variables, as Grafana would put them in; a query variable's label_values() is Grafana's own.
            var promql = expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$model", ".*", StringComparison.Ordinal)
                .Replace("$worker", ".*", StringComparison.Ordinal);
            promql = promql.StartsWith("label_values(", StringComparison.Ordinal) ? promql["label_values(".Length..promql.LastIndexOf(',')] : promql;

            var error = await Record.ExceptionAsync(() => prometheus.QueryAsync(promql));

            Assert.True(error is null, $"{where}: {error?.Message}");
        }
    }
}
