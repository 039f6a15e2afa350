namespace Dio.Emulator.Engine.Engine;

/// <summary>A cumulative Prometheus-style histogram: counts per upper bound, plus sum and count.</summary>
public sealed class Histogram(double[] upperBounds)
{
    private readonly long[] _counts = new long[upperBounds.Length];

    public IReadOnlyList<double> UpperBounds => upperBounds;

    public long Count { get; private set; }

    public double Sum { get; private set; }

    /// <summary>Observations ≤ the bound at <paramref name="index"/> (cumulative, as Prometheus writes them).</summary>
    public long CumulativeCount(int index)
    {
        var total = 0L;
        for (var i = 0; i <= index; i++)
        {
            total += _counts[i];
        }

        return total;
    }

    public void Record(double value)
    {
        Count++;
        Sum += value;
        var index = Array.BinarySearch(upperBounds, value);
        index = index >= 0 ? index : ~index;
        if (index < _counts.Length)
        {
            _counts[index]++;
        }
    }
}
