namespace Dio.Bench.Simulation;

/// <summary>Percentiles with linear interpolation between closest ranks (numpy's default), as the trace README uses;
/// +∞ (a miss) is a value like any other.</summary>
public static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = p / 100 * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(sorted.Count - 1, low + 1);
        var fraction = rank - low;
        if (fraction == 0 || sorted[high] == sorted[low])
        {
            return sorted[low];
        }

        // Misses are +∞ in offered-request percentiles: any interpolation towards one is a miss too.
        return double.IsPositiveInfinity(sorted[high]) ? double.PositiveInfinity : sorted[low] + ((sorted[high] - sorted[low]) * fraction);
    }
}
