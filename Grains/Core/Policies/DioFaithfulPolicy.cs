using Dio.Grains.Scheduling;

namespace Dio.Grains.Policies;

/// <summary>
/// The original DIO's Algorithm 1 with its exact constants (ALGORITHMS.md §1.3; <c>cost.go::computeWorkerScore</c>,
/// <c>loadbalancer.go::PickBestWorker</c>): S_w = (Q_w/8)·t̄_w + t̂_w + tier_w + vram_w − cache_w over the scalar
/// predictor of §1.2, reject with 503 when the best S exceeds the SLO. No KV arithmetic, as in the original.
/// </summary>
internal sealed class DioFaithfulPolicy(double sloMs) : IRoutingPolicy
{
    public const double BatchSize = 8.0;
    public const double CacheBonusMs = 200;
    public const double TierMismatchMs = 500;
    private const int PrefixCacheEntries = 1 << 16;
    private static readonly TimeSpan AllBlockedRetryAfter = TimeSpan.FromSeconds(5);

    // DIO's PrefixCache: FNV hash of the prompt's first 100 bytes → worker that last served it (direct-mapped).
    private readonly ulong[] _prefixKeys = new ulong[PrefixCacheEntries];
    private readonly string?[] _prefixWorkers = new string?[PrefixCacheEntries];

    public string Name => RoutingPolicyNames.DioFaithful;

    public bool EnforcesKvAdmission => false;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var request = context.Request;
        var tokens = request.PromptBytes > 0 ? Math.Max(1, request.PromptBytes / 4) : Math.Max(1, context.PromptTokens);
        var hasKey = request.PrefixBlocks.Length > 0;
        var key = hasKey ? request.PrefixBlocks.Span[0] : 0;
        var slot = (int)(key & (PrefixCacheEntries - 1));
        var cachedWorker = hasKey && _prefixKeys[slot] == key ? _prefixWorkers[slot] : null;

        var best = -1;
        var bestScore = double.PositiveInfinity;
        var bestParts = default(ScoreBreakdown);
        var anyCapable = false;
        for (var i = 0; i < context.Candidates.Length; i++)
        {
            var worker = context.Candidates[i];
            var tierMs = TierRule.PenaltyMs(request.CapabilityTier, worker.Registration.Tier, TierMismatchMs);
            if (double.IsPositiveInfinity(tierMs))
            {
                continue;
            }

            anyCapable = true;
            var telemetry = worker.Telemetry;
            var free = telemetry?.FreeVramMb ?? 0;
            var totalVram = telemetry?.TotalVramMb ?? 0;
            var view = worker.Predictor;
            var predicted = FaithfulNlmsPredictor.Estimate(view.FaithfulSlope, view.FaithfulBias, view.FaithfulInterference, tokens, free);
            if (double.IsPositiveInfinity(predicted))
            {
                continue;   // hard VRAM block
            }

            var meanLatency = view.FaithfulMeanLatencyMs > 0 ? view.FaithfulMeanLatencyMs : predicted;
            var waitMs = worker.InFlight / BatchSize * meanLatency;
            var vramMs = free > 0 && totalVram > 0 && free < FaithfulNlmsPredictor.VramSoftLimitMb ? (1 - (free / totalVram)) * 1000 : 0;
            var cacheMs = cachedWorker is not null && string.Equals(cachedWorker, worker.WorkerId, StringComparison.Ordinal) ? CacheBonusMs : 0;
            var parts = new ScoreBreakdown(waitMs, predicted, tierMs, vramMs, cacheMs);
            if (parts.TotalMs < bestScore)
            {
                best = i;
                bestScore = parts.TotalMs;
                bestParts = parts;
            }
        }

        if (best < 0)
        {
            return anyCapable
                ? PolicyDecision.Shed(ShedReason.NoMemory, AllBlockedRetryAfter)
                : PolicyDecision.Shed(ShedReason.NoHealthyWorker, AllBlockedRetryAfter);
        }

        if (bestScore > sloMs)
        {
            return PolicyDecision.Shed(ShedReason.PredictedOverSlo, TimeSpan.FromSeconds(Math.Max(1, Math.Floor(bestScore / 1000))));
        }

        if (hasKey)
        {
            _prefixKeys[slot] = key;
            _prefixWorkers[slot] = context.Candidates[best].WorkerId;
        }

        return PolicyDecision.Pick(best, bestParts);
    }
}
