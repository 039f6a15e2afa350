using Dio.Bench.Metrics;
using Dio.Bench.Simulation;

namespace Dio.Bench.Experiments;

/// <summary>
/// A cell is one trace on one fleet at one load, seed, scrape period and speed scale, run by several policies.
/// Figures that compare policies are computed here, over a cell, never inside one run.
/// </summary>
public static class Cells
{
    /// <summary>Each result with its p99 TTFT at the admitted fraction common to the routers of its cell (the
    /// clairvoyant oracles are bounds, not routers, so they are cut to it but do not set it).</summary>
    public static IEnumerable<SimulationResult> WithEqualAdmittedP99(IEnumerable<SimulationResult> results)
    {
        var list = results.ToList();
        var fractions = list.Where(r => r.ServiceLevel is not null && !OraclePolicy.IsOracle(r.Policy))
            .GroupBy(Key).ToDictionary(cell => cell.Key, cell => ServiceLevel.CommonAdmittedFraction(cell.Select(r => r.ServiceLevel!)));
        return list.Select(r => r.ServiceLevel is { } level
            ? r with { TtftP99EqualAdmittedMs = level.P99AtAdmittedFraction(fractions.GetValueOrDefault(Key(r), 1)) }
            : r);   // in the order given
    }

    private static (string, double, int, double, string) Key(SimulationResult r) => (r.Cluster, r.Load, r.Seed, r.ScrapeSeconds, r.SpeedScale);

    /// <summary>One figure of one policy over the seeds of its cells: the mean and the range.</summary>
    public sealed record Spread(double Mean, double Min, double Max, int Seeds)
    {
        public static Spread Of(IEnumerable<double> values)
        {
            var list = values.ToList();
            return new Spread(list.Average(), list.Min(), list.Max(), list.Count);
        }

        /// <summary>True when the ranges of the two overlap: inside the spread, a difference is a tie.</summary>
        public bool Overlaps(Spread other) => Min <= other.Max && other.Min <= Max;
    }

    /// <summary>The runs of <paramref name="policy"/> at <paramref name="load"/> over every seed.</summary>
    public static IReadOnlyList<SimulationResult> Seeds(IEnumerable<SimulationResult> results, string policy, double load) =>
        [.. results.Where(r => r.Policy == policy && r.Load == load)];
}
