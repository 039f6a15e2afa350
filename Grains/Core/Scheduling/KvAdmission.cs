namespace Dio.Grains.Scheduling;

/// <summary>
/// Per-request KV-fit admission (ALGORITHMS.md §2.5) and the memory term of the score (§2.6). All quantities are
/// KV blocks of the worker's own block size.
/// </summary>
internal static class KvAdmission
{
    /// <summary>Blocks a request needs for prompt plus expected (p90) output: ⌈(P + D̂₀.₉)/B⌉.</summary>
    public static int BlocksNeeded(double promptTokens, double expectedOutputTokens, int blockSize) =>
        (int)Math.Ceiling((promptTokens + expectedOutputTokens) / blockSize);

    /// <summary>
    /// σ·need, capped at what an empty worker offers below its headroom: a request vLLM itself can hold (it fits
    /// max_model_len, and vLLM refuses to start with max_model_len above its KV capacity) must stay admissible on
    /// an idle worker even when the safety factor would push it over.
    /// </summary>
    public static double RequiredBlocks(int needBlocks, int totalBlocks, double safetyFactor, double headroomFraction) =>
        Math.Min(safetyFactor * needBlocks, totalBlocks * (1 - headroomFraction));

    /// <summary>feasible ⇔ required ≤ free − h·G, with free = G − used − reserved.</summary>
    public static bool IsFeasible(double requiredBlocks, int totalBlocks, int usedBlocks, int reservedBlocks, double headroomFraction) =>
        requiredBlocks <= totalBlocks - usedBlocks - reservedBlocks - (headroomFraction * totalBlocks);

    /// <summary>
    /// M(u'): 0 up to u0, rising linearly to <paramref name="fullPenaltyMs"/> (§2.6: 1000 ms) at u_hard, +∞ beyond.
    /// An otherwise idle worker is never priced out, for the same reason as in <see cref="RequiredBlocks"/>.
    /// </summary>
    public static double MemoryPenaltyMs(double projectedUtilization, double softLimit, double hardLimit, bool workerIdle,
        double fullPenaltyMs = 1000)
    {
        if (projectedUtilization <= softLimit)
        {
            return 0;
        }

        if (projectedUtilization > hardLimit)
        {
            return workerIdle ? fullPenaltyMs : double.PositiveInfinity;
        }

        return fullPenaltyMs * (projectedUtilization - softLimit) / (1 - softLimit);
    }
}
