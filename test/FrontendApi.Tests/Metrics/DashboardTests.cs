using System.Text.Json;
using Dio.FrontendApi.Tests.Support;

namespace Dio.FrontendApi.Tests.Metrics;

/// <summary>The Grafana dashboard (deploy/grafana/dio-dashboard.json) queries only what DIO really exports.</summary>
[Collection(MetricsReaders.Name)]
public sealed class DashboardTests(TrafficFixture gateway) : IClassFixture<TrafficFixture>
{
    internal static readonly string DashboardPath = Path.Combine(AppContext.BaseDirectory, "deploy", "grafana", "dio-dashboard.json");

    [Fact]
    public async Task EveryMetricTheDashboardQueries_IsOnTheGatewaysMetrics()
    {
        var exported = (await PrometheusText.ScrapeAsync(gateway.Http, gateway.Url)).Names;
        var queries = Queries().ToList();

        Assert.True(queries.Count >= 15, $"{queries.Count} queries");
        foreach (var (where, names) in queries)
        {
            Assert.NotEmpty(names);   // an expression the extraction reads nothing from would check nothing
            var missing = names.Where(n => !exported.Contains(n)).ToList();
            Assert.True(missing.Count == 0, $"{where} queries {string.Join(", ", missing)}, which the gateway does not export");
        }
    }

    [Fact]
    public void Panels_CoverWhatOperatorsWatch()
    {
        var names = Queries().SelectMany(q => q.Names).ToHashSet(StringComparer.Ordinal);

        string[] watched =
        [
            "dio_worker_kv_blocks_used", "dio_worker_kv_blocks_reserved", "dio_worker_kv_blocks_capacity", "dio_worker_requests_in_flight",
            "dio_worker_ttft_seconds_bucket", "dio_worker_predicted_ttft_seconds_bucket", "dio_worker_tpot_seconds_bucket",
            "dio_worker_predicted_tpot_seconds_bucket", "dio_router_decisions_total", "dio_router_sheds_total", "dio_router_queue_length",
            "dio_router_queue_wait_seconds_bucket", "dio_router_leases_open", "dio_router_leases_expired_total", "dio_router_leases_reclaimed_total",
        ];
        Assert.All(watched, name => Assert.Contains(name, names));
    }

    [Theory]
    [InlineData("histogram_quantile(0.99, sum by (worker, le) (rate(dio_x_seconds_bucket{model=~\"$model\"}[$__rate_interval])))", "dio_x_seconds_bucket")]
    [InlineData("sum by (worker) (a_total{x=\"b{c}\"}) / on (worker) group_left (gpu) b", "a_total b")]
    [InlineData("rate(up[5m] offset 1h) > bool 0.5e3 and c", "up c")]
    public void MetricNames_ReadsSelectorsNotFunctionsLabelsOrNumbers(string expression, string expected)
    {
        Assert.Equal(expected.Split(' ').Order(StringComparer.Ordinal), PromQl.MetricNames(expression).Order(StringComparer.Ordinal));
    }

    /// <summary>Every PromQL expression of the dashboard (panel targets and query variables), with where it is.</summary>
    internal static IEnumerable<(string Where, IReadOnlySet<string> Names)> Queries() =>
        Expressions().Select(e => (e.Where, e.IsVariable ? PromQl.VariableMetricNames(e.Expression) : PromQl.MetricNames(e.Expression)));

    internal static IEnumerable<(string Where, string Expression, bool IsVariable)> Expressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var root = dashboard.RootElement;
        var found = new List<(string, string, bool)>();
        foreach (var panel in root.GetProperty("panels").EnumerateArray().Where(p => p.TryGetProperty("targets", out _)))
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                found.Add(($"panel '{panel.GetProperty("title").GetString()}'", target.GetProperty("expr").GetString()!, false));
            }
        }

        foreach (var variable in root.GetProperty("templating").GetProperty("list").EnumerateArray().Where(v => v.GetProperty("type").GetString() == "query"))
        {
            found.Add(($"variable '{variable.GetProperty("name").GetString()}'", variable.GetProperty("query").GetProperty("query").GetString()!, true));
        }

        return found;
    }
}
