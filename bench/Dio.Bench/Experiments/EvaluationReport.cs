using Dio.Bench.Reports;
using Dio.Bench.Simulation;
using Dio.Grains.Policies;

namespace Dio.Bench.Experiments;

/// <summary>
/// Renders an <see cref="EvaluationSweep"/>: goodput and SLO attainment first, then tail latency over what was offered
/// and at an equal admitted fraction, then what was shed, preempted and lost; and checks the goals of issue 13
/// against the run (every figure a mean over the seeds, with the range where it decides a goal).
/// </summary>
public static class EvaluationReport
{
    public sealed record Sweep(PreparedTrace Trace, IReadOnlyList<SimulationResult> Results)
    {
        public string Name => $"{Trace.Case.Title} on `{Trace.Case.Cluster}`";

        public IReadOnlyList<double> Loads => [.. Results.Select(r => r.Load).Distinct().Order()];

        public double Share(double load) => Trace.ShareOfCapacity(load);

        public Cells.Spread Figure(string policy, double load, Func<SimulationResult, double> figure) =>
            Cells.Spread.Of(Cells.Seeds(Results, policy, load).Select(figure));

        public IEnumerable<string> Policies => Results.Select(r => r.Policy).Distinct();
    }

    public static string Render(Sweep sweep)
    {
        var loads = sweep.Loads;
        string[] headers = ["policy", .. loads.Select(l => $">{Markdown.Percent(sweep.Share(l))} cap.")];
        string Rows(Func<string, double, string> cell) => Markdown.Table(headers, sweep.Policies.Select(p => (string[])[$"`{p}`", .. loads.Select(l => cell(p, l))]));
        var seeds = sweep.Results.Select(r => r.Seed).Distinct().Count();
        var first = sweep.Results[0];
        return $"""
            {sweep.Trace.Requests.Count:N0} requests on `{sweep.Trace.Case.Cluster}`; saturated capacity for this mix {Markdown.Number(sweep.Trace.Capacity.RequestsPerSecond, "0.0")} req/s{(sweep.Trace.Case.PrefixCaching ? ", prefix caching on" : string.Empty)}, max_model_len {sweep.Trace.Case.MaxModelLen:N0}, TTFT objective {Markdown.Ms(first.SloMs)}, scrape {Markdown.Number(first.ScrapeSeconds * 1000)} ms{(first.SpeedScale.Length > 0 ? $", step times {first.SpeedScale}" : string.Empty)}; every cell the mean of {seeds} seed(s).

            Goodput (completions within the objective per second of offered trace) and, in brackets, SLO attainment (shed, rejected and lost count as misses):

            {Rows((p, l) => $"{Markdown.Number(sweep.Figure(p, l, r => r.GoodputRps).Mean, "0.00")} ({Markdown.Percent(sweep.Figure(p, l, r => r.SloAttainment).Mean)})")}
            p99 TTFT at the admitted fraction common to the routers of the cell, and over everything offered (a miss is ∞):

            {Rows((p, l) => $"{Markdown.Ms(sweep.Figure(p, l, r => r.TtftP99EqualAdmittedMs ?? double.NaN).Mean)} / {Markdown.Ms(sweep.Figure(p, l, r => r.TtftP99OfferedMs).Max)}")}
            Shed / preemptions / lost, per run:

            {Rows((p, l) => $"{Markdown.Number(sweep.Figure(p, l, r => r.Shed).Mean, "0")} / {Markdown.Number(sweep.Figure(p, l, r => r.Preemptions).Mean, "0")} / {Markdown.Number(sweep.Figure(p, l, r => r.Lost).Mean, "0")}")}
            """;
    }

    public static SvgLineChart Plot(Sweep sweep, string figure, Func<SimulationResult, double> value) =>
        sweep.Policies.Aggregate(new SvgLineChart($"{sweep.Trace.Case.Title} on {sweep.Trace.Case.Cluster}: {figure} vs load", "offered load (share of capacity)", figure),
            (chart, p) => chart.Add(p, [.. sweep.Loads.Select(l => (sweep.Share(l), sweep.Figure(p, l, value).Mean))]));

    public sealed record Goal(string Sweep, string Name, string Target, string Measured, bool Met);

    private static bool IsBaseline(string policy) => EvaluationSweep.Baselines.Contains(policy);

    public static IReadOnlyList<Goal> Goals(IReadOnlyList<Sweep> sweeps)
    {
        var goals = new List<Goal>();
        foreach (var sweep in sweeps)
        {
            var below = sweep.Loads.Where(l => sweep.Share(l) < 0.99).ToList();
            var above = sweep.Loads.Where(l => sweep.Share(l) >= 0.99).ToList();
            if (sweep.Trace.Case.Cluster.StartsWith("homo", StringComparison.Ordinal))
            {
                goals.Add(Within(sweep, sweep.Loads, "goodput", r => r.GoodputRps));
                goals.Add(Within(sweep, sweep.Loads, "SLO attainment", r => r.SloAttainment));
                continue;
            }

            // Below capacity: SLO attainment no lower than any baseline's (a gap inside the seeds' spread is a tie).
            var worstSlo = below.Select(l => (Load: l, Dio: sweep.Figure(RoutingPolicyNames.Dio, l, r => r.SloAttainment),
                Best: Best(sweep, l, r => r.SloAttainment, highest: true))).MinBy(x => x.Dio.Mean - x.Best.Value.Mean);
            goals.Add(new Goal(sweep.Name, "25–75%: SLO attainment ≥ every baseline's", "no lower (ties inside the spread)",
                $"worst {Markdown.Percent(sweep.Share(worstSlo.Load))}: {Markdown.Percent(worstSlo.Dio.Mean)} vs `{worstSlo.Best.Policy}` {Markdown.Percent(worstSlo.Best.Value.Mean)}",
                worstSlo.Dio.Mean >= worstSlo.Best.Value.Mean || worstSlo.Dio.Overlaps(worstSlo.Best.Value)));

            var worstP99 = below.Select(l => (Load: l, Dio: sweep.Figure(RoutingPolicyNames.Dio, l, r => r.TtftP99EqualAdmittedMs ?? double.NaN),
                Best: Best(sweep, l, r => r.TtftP99EqualAdmittedMs ?? double.NaN, highest: false))).MaxBy(x => x.Dio.Mean / x.Best.Value.Mean);
            var p99Ratio = worstP99.Dio.Mean / worstP99.Best.Value.Mean;
            goals.Add(new Goal(sweep.Name, "25–75%: p99 TTFT at equal admitted fraction", "≤ 0.8× the best baseline's",
                $"worst {Markdown.Percent(sweep.Share(worstP99.Load))}: {Markdown.Ms(worstP99.Dio.Mean)} vs `{worstP99.Best.Policy}` {Markdown.Ms(worstP99.Best.Value.Mean)} ({Markdown.Ratio(p99Ratio)})",
                p99Ratio <= 0.8));

            var worstGoodput = above.Select(l => (Load: l, Dio: sweep.Figure(RoutingPolicyNames.Dio, l, r => r.GoodputRps),
                Best: Best(sweep, l, r => r.GoodputRps, highest: true))).MinBy(x => x.Dio.Mean / x.Best.Value.Mean);
            var goodputRatio = worstGoodput.Dio.Mean / worstGoodput.Best.Value.Mean;
            goals.Add(new Goal(sweep.Name, "100–150%: goodput vs the best baseline", "≥ 1.2×",
                $"worst {Markdown.Percent(sweep.Share(worstGoodput.Load))}: {Markdown.Number(worstGoodput.Dio.Mean, "0.00")} vs `{worstGoodput.Best.Policy}` {Markdown.Number(worstGoodput.Best.Value.Mean, "0.00")} req/s ({Markdown.Ratio(goodputRatio)})",
                goodputRatio >= 1.2));

            var worstOracle = above.Select(l => (Load: l, Dio: sweep.Figure(RoutingPolicyNames.Dio, l, r => r.GoodputRps).Mean,
                Oracle: sweep.Figure(OraclePolicy.SheddingName, l, r => r.GoodputRps).Mean)).MinBy(x => x.Dio / x.Oracle);
            goals.Add(new Goal(sweep.Name, "100–150%: goodput vs `oracle-shed`", "≥ 0.9×",
                $"worst {Markdown.Percent(sweep.Share(worstOracle.Load))}: {Markdown.Number(worstOracle.Dio, "0.00")} vs {Markdown.Number(worstOracle.Oracle, "0.00")} req/s ({Markdown.Ratio(worstOracle.Dio / worstOracle.Oracle)})",
                worstOracle.Dio / worstOracle.Oracle >= 0.9));

            var dio = above.SelectMany(l => Cells.Seeds(sweep.Results, RoutingPolicyNames.Dio, l)).ToList();
            goals.Add(new Goal(sweep.Name, "100–150%: preemptions caused / lost", "0 / 0",
                $"{dio.Sum(r => r.Preemptions)} / {dio.Sum(r => r.Lost)}", dio.All(r => r.Preemptions == 0 && r.Lost == 0)));
        }

        return goals;
    }

    public static string RenderGoals(IReadOnlyList<Goal> goals)
    {
        var missed = goals.Where(g => !g.Met).ToList();
        var lead = missed.Count == 0
            ? $"Every one of the {goals.Count} goals is met in this run."
            : $"**{missed.Count} of {goals.Count} goals are missed in this run:** " + string.Join("; ", missed.Select(g => $"{g.Sweep}, {g.Name}: {g.Measured}")) + ".";
        return lead + "\n\n" + Markdown.Table(["trace and fleet", "goal", "target", "measured", "met"],
            goals.Select(g => new[] { g.Sweep, g.Name, g.Target, g.Measured, g.Met ? "yes" : "**no**" }));
    }

    private static Goal Within(Sweep sweep, IReadOnlyList<double> loads, string figure, Func<SimulationResult, double> value)
    {
        var worst = loads.Select(l => (Load: l, Dio: sweep.Figure(RoutingPolicyNames.Dio, l, value).Mean, Best: Best(sweep, l, value, highest: true)))
            .MinBy(x => x.Dio / x.Best.Value.Mean);
        var gap = 1 - (worst.Dio / worst.Best.Value.Mean);
        return new Goal(sweep.Name, $"every load: {figure} vs the best baseline", "within 2%",
            $"worst {Markdown.Percent(sweep.Share(worst.Load))}: {Markdown.Number(worst.Dio, "0.000")} vs `{worst.Best.Policy}` {Markdown.Number(worst.Best.Value.Mean, "0.000")} ({(gap > 0 ? $"{Markdown.Percent(gap)} behind" : $"{Markdown.Percent(-gap)} ahead")})",
            gap <= 0.02);
    }

    private static (string Policy, Cells.Spread Value) Best(Sweep sweep, double load, Func<SimulationResult, double> value, bool highest)
    {
        var all = sweep.Policies.Where(IsBaseline).Select(p => (Policy: p, Value: sweep.Figure(p, load, value))).Where(x => !double.IsNaN(x.Value.Mean)).ToList();
        return highest ? all.MaxBy(x => x.Value.Mean) : all.MinBy(x => x.Value.Mean);
    }
}
