using Dio.Bench.Reports;
using Dio.Bench.Simulation;

namespace Dio.Bench.Experiments;

/// <summary>T9–T11 (and T2): a trace's sweep over policies and loads as tables of p99 TTFT and SLO attainment, and their plots.</summary>
public static class TailLatencyReport
{
    public static string Render(PreparedTrace trace, IReadOnlyList<SimulationResult> results)
    {
        var loads = results.Select(r => r.Load).Distinct().Order().ToList();
        var policies = results.Select(r => r.Policy).Distinct().ToList();
        string[] headers = ["policy", .. loads.Select(l => $">load {Markdown.Number(l)} ({Markdown.Percent(trace.ShareOfCapacity(l))} cap.)")];
        var p99 = Markdown.Table(headers, policies.Select(p => (string[])[$"`{p}`", .. loads.Select(l => Find(results, p, l) is { } r ? Markdown.Ms(r.TtftP99Ms) : "—")]));
        var slo = Markdown.Table(headers, policies.Select(p => (string[])[$"`{p}`", .. loads.Select(l => Find(results, p, l) is { } r ? Cell(r) : "—")]));
        return $"""
            {trace.Requests.Count:N0} requests on `{trace.Case.Cluster}` (saturated capacity for this mix: {Markdown.Number(trace.Capacity.RequestsPerSecond, "0.0")} req/s; load 1 = {Markdown.Number(trace.Load1Rps, "0.00")} req/s){(trace.Case.PrefixCaching ? ", prefix caching on" : string.Empty)}, max_model_len {trace.Case.MaxModelLen:N0}.

            p99 TTFT (completed requests):

            {p99}
            SLO attainment (TTFT ≤ {Markdown.Ms(results[0].SloMs)}; a shed request is a miss), shed and preemptions in brackets:

            {slo}
            """;
    }

    public static SvgLineChart PlotP99(PreparedTrace trace, IReadOnlyList<SimulationResult> results) => Chart(results,
        new SvgLineChart($"{trace.Case.Title} on {trace.Case.Cluster}: p99 TTFT vs load", "load (× trace rate)", "p99 TTFT (ms)", logY: true, logX: true), r => r.TtftP99Ms);

    public static SvgLineChart PlotSlo(PreparedTrace trace, IReadOnlyList<SimulationResult> results) => Chart(results,
        new SvgLineChart($"{trace.Case.Title} on {trace.Case.Cluster}: SLO attainment vs load", "load (× trace rate)", "share with TTFT ≤ SLO", logX: true), r => r.SloAttainment);

    public static SimulationResult? Find(IReadOnlyList<SimulationResult> results, string policy, double load) =>
        results.FirstOrDefault(r => r.Policy == policy && r.Load == load);

    private static string Cell(SimulationResult r) => $"{Markdown.Percent(r.SloAttainment)} ({r.Shed}, {r.Preemptions})";

    private static SvgLineChart Chart(IReadOnlyList<SimulationResult> results, SvgLineChart chart, Func<SimulationResult, double> y) =>
        results.GroupBy(r => r.Policy).Aggregate(chart, (c, g) => c.Add(g.Key, [.. g.OrderBy(r => r.Load).Select(r => (r.Load, y(r)))]));
}
