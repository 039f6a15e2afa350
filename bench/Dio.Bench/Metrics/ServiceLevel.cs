using Dio.Bench.Simulation;

namespace Dio.Bench.Metrics;

/// <summary>
/// What a run delivered, judged over everything that was offered (EVALUATION.md §1), from per-request outcomes.
/// A request that was shed, capacity-rejected or never finished is a miss, with an infinite TTFT, so a policy
/// cannot improve a figure here by refusing work. Used by the simulator and the HTTP replay alike.
/// </summary>
public sealed record ServiceLevel(
    int Offered,
    int Completed,
    int WithinSlo,
    double GoodputRps,
    double SloAttainment,
    double TtftP99OfferedMs,
    double AdmittedFraction)
{
    /// <summary>The TTFT of every offered request, ascending; misses are +∞ at the end. Kept for
    /// <see cref="P99AtAdmittedFraction"/>, which needs the other policies of the same cell.</summary>
    public required double[] OfferedTtftMs { get; init; }

    /// <param name="ttftMs">TTFT from arrival of each offered request, ms; null when it did not complete.</param>
    /// <param name="sloMs">The TTFT objective.</param>
    /// <param name="offeredSeconds">How long the offered trace lasted (first to last arrival, at this load).</param>
    public static ServiceLevel Of(IEnumerable<double?> ttftMs, double sloMs, double offeredSeconds)
    {
        var offered = ttftMs.Select(t => t ?? double.PositiveInfinity).Order().ToArray();
        var completed = offered.Count(double.IsFinite);
        var within = offered.Count(t => t <= sloMs);
        return new ServiceLevel(
            offered.Length,
            completed,
            within,
            within / Math.Max(offeredSeconds, 1e-9),
            offered.Length == 0 ? 0 : (double)within / offered.Length,
            Percentiles.Of(offered, 99),
            offered.Length == 0 ? 0 : (double)completed / offered.Length) { OfferedTtftMs = offered };
    }

    /// <summary>
    /// p99 TTFT after dropping the same share of every policy's slowest requests: each keeps the fastest
    /// <paramref name="admittedFraction"/> of what it was offered (the smallest admitted fraction among the
    /// policies compared), misses first out. A policy that shed 10% is then compared with the others' fastest 90%.
    /// </summary>
    public double P99AtAdmittedFraction(double admittedFraction)
    {
        var kept = (int)Math.Floor(Math.Clamp(admittedFraction, 0, 1) * OfferedTtftMs.Length);
        return kept == 0 ? double.NaN : Percentiles.Of(new ArraySegment<double>(OfferedTtftMs, 0, kept), 99);
    }

    /// <summary>The smallest admitted fraction among runs of one cell: the share every one of them is cut to.</summary>
    public static double CommonAdmittedFraction(IEnumerable<ServiceLevel> cell) => cell.Min(s => s.AdmittedFraction);
}
