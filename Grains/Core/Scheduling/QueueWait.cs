namespace Dio.Grains.Scheduling;

/// <summary>Queue-wait estimate from effective concurrency (ALGORITHMS.md §2.4).</summary>
internal static class QueueWait
{
    /// <summary>C = min(max_num_seqs, ⌊KV capacity / (P̄ + D̄)⌋), at least 1.</summary>
    public static double EffectiveConcurrency(int maxNumSeqs, long kvCapacityTokens, double meanPromptTokens, double meanOutputTokens)
    {
        var perRequest = Math.Max(1, meanPromptTokens + meanOutputTokens);
        return Math.Max(1, Math.Min(maxNumSeqs, Math.Floor(kvCapacityTokens / perRequest)));
    }

    /// <summary>
    /// ŵait = max(0, n + 1 − C) · t̄ / C: with n ≥ C in flight, each request ahead waits for one of C slots that free
    /// at rate C/t̄ (Little's law). DIO's (Q/8)·t̄ is the case C = 8 with no free slot.
    /// </summary>
    public static double EstimateMs(double inFlight, double concurrency, double meanServiceMs) =>
        Math.Max(0, inFlight + 1 - concurrency) * meanServiceMs / concurrency;
}
