namespace Dio.Grains.Scheduling;

/// <summary>
/// Running quantiles of observed completion lengths (ALGORITHMS.md §2.1: D̂ = min(max_tokens, q̂_τ), τ = 0.5 for
/// latency, 0.9 for memory). A log-spaced histogram (8% wide buckets, 1 to 2¹⁸ tokens) with periodic halving, so
/// it follows a changing workload, costs O(1) memory, and answers from a cached value in O(1).
/// </summary>
internal sealed class OutputLengthQuantile
{
    /// <summary>Samples before the quantiles are trusted; until then callers use max_tokens.</summary>
    public const int MinimumSamples = 20;
    private const double Ratio = 1.08;
    private const double MaxTokens = 262_144;
    private const double HalveAt = 4_000;   // effective memory of ~4k–8k completions

    private static readonly int BucketCount = (int)Math.Ceiling(Math.Log(MaxTokens) / Math.Log(Ratio)) + 1;
    private readonly double[] _counts = new double[BucketCount];
    private double _total;

    public long Samples { get; private set; }

    public double Median { get; private set; }

    public double P90 { get; private set; }

    public bool IsReady => Samples >= MinimumSamples;

    public void Add(int completionTokens)
    {
        _counts[BucketOf(Math.Max(1, completionTokens))] += 1;
        _total += 1;
        Samples++;
        if (_total >= HalveAt)
        {
            for (var i = 0; i < _counts.Length; i++)
            {
                _counts[i] *= 0.5;
            }

            _total *= 0.5;
        }

        Median = Quantile(0.5);
        P90 = Quantile(0.9);
    }

    /// <summary>The τ-quantile, as the upper edge of the bucket where the cumulative weight reaches τ.</summary>
    public double Quantile(double tau)
    {
        if (_total <= 0)
        {
            return 0;
        }

        var target = tau * _total;
        var cumulative = 0.0;
        for (var i = 0; i < _counts.Length; i++)
        {
            cumulative += _counts[i];
            if (cumulative >= target)
            {
                return UpperEdge(i);
            }
        }

        return MaxTokens;
    }

    private static int BucketOf(int tokens) =>
        Math.Min(BucketCount - 1, (int)Math.Ceiling(Math.Log(tokens) / Math.Log(Ratio)));

    private static double UpperEdge(int bucket) => Math.Round(Math.Pow(Ratio, bucket));
}
