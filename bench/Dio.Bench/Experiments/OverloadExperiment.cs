using Dio.Bench.Reports;
using Dio.Bench.Simulation;
using Dio.Bench.Traces;
using Dio.Bench.Workloads;

namespace Dio.Bench.Experiments;

/// <summary>
/// T4: a flood of Poisson arrivals at 2×, 4× and 8× the fleet's saturated capacity for a fixed stretch, with the
/// request mix of a real trace. What matters is what each policy does with the excess: DIO sheds it up front
/// (503 + Retry-After); policies that never shed queue it inside vLLM, where it preempts and waits.
/// </summary>
public static class OverloadExperiment
{
    public sealed record Row(string Policy, double Factor, double OfferedRps, SimulationResult Result);

    public static IReadOnlyList<Row> Run(IReadOnlyList<TraceRequest> mix, string cluster, double capacityRps, IReadOnlyList<double> factors,
        IReadOnlyList<string> policies, double floodSeconds, int seed)
    {
        var rows = new List<Row>();
        foreach (var factor in factors)
        {
            var flood = SyntheticTrace.Poisson(mix, [new RateSegment(floodSeconds, factor * capacityRps)], seed);
            var results = LoadSweep.Run(flood, cluster, LoadSweep.Grid(policies, [1.0], s => s with { Seed = seed }));
            rows.AddRange(results.Select(r => new Row(r.Policy, factor, factor * capacityRps, r)));
        }

        return rows;
    }

    public static string Render(IReadOnlyList<Row> rows) => Markdown.Table(
        ["policy", ">× capacity", ">offered", ">completed", ">shed (503)", ">rejected", ">failed", ">preemptions", ">TTFT p99 (admitted)", ">E2E p99", ">SLO"],
        rows.Select(row => new[]
        {
            $"`{row.Policy}`", Markdown.Number(row.Factor) + "×", $"{row.Result.Requests}", $"{row.Result.Completed}", $"{row.Result.Shed}",
            $"{row.Result.Rejected}", $"{row.Result.Lost}", $"{row.Result.Preemptions}", Markdown.Ms(row.Result.TtftP99Ms),
            Markdown.Ms(row.Result.E2eP99Ms), Markdown.Percent(row.Result.SloAttainment),
        }));
}
