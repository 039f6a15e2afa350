using Dio.Bench.Reports;
using Dio.Bench.Simulation;
using Dio.Grains.Policies;

namespace Dio.Bench.Experiments;

/// <summary>
/// The evaluation's goals, checked against measured results (never against constants): on hetero-8 with the Azure
/// code trace at the lowest swept load where round-robin's p99 TTFT exceeds the SLO, `dio` against round-robin,
/// llm-d, smg-least-load and the oracle; at 2× overload, no preemptions and nothing lost; on homo-8, `dio` within
/// 5% of the best baseline at every swept load.
/// </summary>
public static class GoalsCheck
{
    public sealed record Goal(string Name, string Target, string Measured, bool Met);

    private static readonly string[] NotBaselines = [RoutingPolicyNames.Dio, RoutingPolicyNames.DioFaithful, OraclePolicy.PolicyName];

    public static IReadOnlyList<Goal> Evaluate(IReadOnlyList<SimulationResult> hetero, IReadOnlyList<SimulationResult> homo,
        IReadOnlyList<OverloadExperiment.Row> overload)
    {
        var goals = new List<Goal>();
        var sloMs = hetero[0].SloMs;
        var loads = hetero.Select(r => r.Load).Distinct().Order().ToList();
        var load = loads.FirstOrDefault(l => Get(hetero, RoutingPolicyNames.RoundRobin, l).TtftP99Ms > sloMs, double.NaN);
        if (double.IsNaN(load))
        {
            goals.Add(new Goal("a load where round-robin's p99 TTFT exceeds the SLO", "exists in the sweep", "none", false));
        }
        else
        {
            var dio = Get(hetero, RoutingPolicyNames.Dio, load);
            var at = $"load {Markdown.Number(load)}";
            goals.Add(Ratio($"p99 TTFT vs `round-robin` ({at})", 3, Get(hetero, RoutingPolicyNames.RoundRobin, load), dio));
            goals.Add(Ratio($"p99 TTFT vs `llm-d` ({at})", 1.4, Get(hetero, RoutingPolicyNames.Llmd, load), dio));
            goals.Add(Ratio($"p99 TTFT vs `smg-least-load` ({at})", 1.4, Get(hetero, RoutingPolicyNames.SmgLeastLoad, load), dio));
            goals.Add(new Goal($"SLO attainment ({at})", "≥ 95%", Markdown.Percent(dio.SloAttainment), dio.SloAttainment >= 0.95));
            var oracle = Get(hetero, OraclePolicy.PolicyName, load);
            var ofOracle = dio.TtftP99Ms / oracle.TtftP99Ms;
            goals.Add(new Goal($"p99 TTFT vs `oracle` ({at})", "≤ 1.2× the oracle's",
                $"{Markdown.Ms(dio.TtftP99Ms)} vs {Markdown.Ms(oracle.TtftP99Ms)}: {Markdown.Ratio(ofOracle)}", ofOracle <= 1.2));
        }

        foreach (var row in overload.Where(r => r.Policy == RoutingPolicyNames.Dio && r.Factor == 2))
        {
            var r = row.Result;
            goals.Add(new Goal("2× overload: preemptions", "0", $"{r.Preemptions}", r.Preemptions == 0));
            goals.Add(new Goal("2× overload: every request completes or is shed", "0 lost",
                $"{r.Completed} completed + {r.Shed} shed + {r.Rejected} rejected of {r.Requests}; {r.Lost} lost", r.Lost == 0));
        }

        var worst = homo.Select(r => r.Load).Distinct().Order()
            .Select(l => (Load: l, Best: BestBaseline(homo, l), Dio: Get(homo, RoutingPolicyNames.Dio, l)))
            .MaxBy(x => x.Dio.TtftP99Ms / x.Best.TtftP99Ms);
        var behind = (worst.Dio.TtftP99Ms / worst.Best.TtftP99Ms) - 1;
        goals.Add(new Goal("homo-8: p99 TTFT vs the best baseline, worst load", "≤ 5% behind",
            $"load {Markdown.Number(worst.Load)}: {Markdown.Ms(worst.Dio.TtftP99Ms)} vs `{worst.Best.Policy}` {Markdown.Ms(worst.Best.TtftP99Ms)} ({(behind > 0 ? $"{Markdown.Percent(behind)} behind" : $"{Markdown.Percent(-behind)} ahead")})",
            behind <= 0.05));
        return goals;
    }

    /// <summary>The baseline with the lowest p99 TTFT at <paramref name="load"/>: neither DIO variant nor the oracle.</summary>
    public static SimulationResult BestBaseline(IReadOnlyList<SimulationResult> results, double load) =>
        results.Where(r => r.Load == load && !NotBaselines.Contains(r.Policy)).MinBy(r => r.TtftP99Ms)
            ?? throw new InvalidOperationException($"no baseline ran at load {load}");

    public static string Render(IReadOnlyList<Goal> goals) => Markdown.Table(["goal", "target", "measured", "met"],
        goals.Select(g => new[] { g.Name, g.Target, g.Measured, g.Met ? "yes" : "**no**" }));

    private static Goal Ratio(string name, double target, SimulationResult baseline, SimulationResult dio)
    {
        var ratio = baseline.TtftP99Ms / dio.TtftP99Ms;
        return new Goal(name, $"≥ {Markdown.Number(target)}× lower",
            $"{Markdown.Ms(dio.TtftP99Ms)} vs {Markdown.Ms(baseline.TtftP99Ms)}: {Markdown.Ratio(ratio)}", ratio >= target);
    }

    private static SimulationResult Get(IReadOnlyList<SimulationResult> results, string policy, double load) =>
        TailLatencyReport.Find(results, policy, load) ?? throw new InvalidOperationException($"no run of {policy} at load {load}");
}
