using Dio.Grains.Scheduling;
using Dio.Grains.Workers;

namespace Dio.Grains.Policies;

/// <summary>
/// DIO-R (ALGORITHMS.md §2): among workers whose free KV holds the request (§2.5), pick the lowest
/// S = ŵait + t̂ + tier + M(u') − cache (§2.6), where t̂ is the predicted TTFT for the interactive tier and the
/// predicted E2E for the batch tier. When none fits, wait in the bounded queue or shed with Retry-After.
/// With <paramref name="sheds"/> false it is the evaluation's <c>dio-noshed</c> ablation: the same routing and KV
/// admission, but a request that would be shed waits (unbounded) for room instead, so the difference between the
/// two is what shedding buys and the difference from a baseline is what routing buys.
/// </summary>
internal sealed class DioPolicy(bool sheds = true) : IRoutingPolicy
{
    public string Name => sheds ? RoutingPolicyNames.Dio : RoutingPolicyNames.DioNoShed;

    public bool EnforcesKvAdmission => true;

    public double QueueTimeoutMs(double ttftSloMs) => sheds ? ttftSloMs : double.PositiveInfinity;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var options = context.Options;
        var candidates = context.Candidates;
        var interactive = context.Request.Tier == RequestTier.Interactive;
        var best = -1;
        var bestScore = double.PositiveInfinity;
        var bestParts = default(ScoreBreakdown);
        var bestRequired = 0.0;
        var fastestFeasibleMs = double.PositiveInfinity;   // min (ŵait + t̂_ttft) × admission margin over workers that fit now
        var fastestAnyMs = double.PositiveInfinity;        // min ŵait + t̂_ttft over every capable worker
        var fastestIdleMs = double.PositiveInfinity;       // t̂_ttft over every capable worker were it idle
        var capable = false;

        for (var i = 0; i < candidates.Length; i++)
        {
            var worker = candidates[i];
            var registration = worker.Registration;
            var tierMs = TierRule.PenaltyMs(context.Request.CapabilityTier, registration.Tier, options.TierMismatchMs);
            if (double.IsPositiveInfinity(tierMs))
            {
                continue;
            }

            capable = true;
            var estimate = LatencyEstimate.For(worker, context.PromptTokens, context.ExpectedOutputTokens, withDecode: !interactive);
            fastestAnyMs = Math.Min(fastestAnyMs, estimate.WaitPlusTtftMs);
            fastestIdleMs = Math.Min(fastestIdleMs, LatencyEstimate.IdleTtftMs(worker, context.PromptTokens));

            if (InSlowStart(worker, options.SlowStartObservations))
            {
                continue;
            }

            var total = registration.NumGpuBlocks;
            var used = worker.UsedBlocks;
            var reserved = worker.ReservedBlocks;
            var need = KvAdmission.BlocksNeeded(context.PromptTokens, context.MemoryOutputTokens, registration.BlockSize);
            var required = KvAdmission.RequiredBlocks(need, total, options.KvSafetyFactor, options.KvHeadroom);
            if (!KvAdmission.IsFeasible(required, total, used, reserved, options.KvHeadroom))
            {
                continue;
            }

            var projected = (double)(used + reserved + need) / total;
            var memoryMs = KvAdmission.MemoryPenaltyMs(projected, options.MemorySoftLimit, options.MemoryHardLimit,
                workerIdle: used + reserved == 0, options.MemoryPenaltyMs);
            if (double.IsPositiveInfinity(memoryMs))
            {
                continue;
            }

            var prefixMatch = context.PrefixMatch(i);
            fastestFeasibleMs = Math.Min(fastestFeasibleMs, estimate.WaitPlusTtftMs * AdmissionMargin(worker, estimate, claimedCacheHit: prefixMatch > 0));
            var serviceMs = interactive ? estimate.TtftMs : estimate.E2eMs;
            var cacheMs = Math.Min(options.CacheBonusMs, estimate.TtftMs * prefixMatch);
            var parts = new ScoreBreakdown(estimate.WaitMs, serviceMs, tierMs, memoryMs, cacheMs);
            var score = parts.TotalMs;
            if (score < bestScore)
            {
                best = i;
                bestScore = score;
                bestParts = parts;
                bestRequired = required;
            }
        }

        if (!capable)
        {
            return PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0));
        }

        // An objective no idle worker can meet is not overload: shedding or waiting cannot help. The client's own
        // objective gets a 400 that says so; the tier's default is then best effort (a long prompt is still served).
        var slo = context.TtftSloMs;
        if (fastestIdleMs > slo)
        {
            if (context.Request.TtftSloMs > 0)
            {
                return PolicyDecision.SloUnattainable(fastestIdleMs);
            }

            slo = double.PositiveInfinity;
        }

        if (best >= 0)
        {
            return sheds && options.ShedWhenPredictedOverSlo && fastestFeasibleMs > slo
                ? PolicyDecision.Shed(ShedReason.PredictedOverSlo, PolicyDecision.RetryAfterFor(fastestFeasibleMs - context.TtftSloMs))
                : PolicyDecision.Pick(best, bestParts, bestRequired);
        }

        // Nothing fits now: hold the request while the queue has room and a worker could still start it in time.
        var retryAfter = PolicyDecision.RetryAfterFor(fastestAnyMs);
        if (!sheds)
        {
            return PolicyDecision.Wait(retryAfter);
        }

        if (context.QueuedRequests >= context.QueueBound())
        {
            return PolicyDecision.Shed(ShedReason.QueueFull, retryAfter);
        }

        return fastestAnyMs > slo
            ? PolicyDecision.Shed(ShedReason.DeadlineExceeded, retryAfter)
            : PolicyDecision.Wait(retryAfter);
    }

    /// <summary>
    /// Admission's margin on a busy worker: its predicted TTFT is inflated by the share by which its answers have come
    /// in later than predicted. A request predicted just under the objective there more often misses than not, and it
    /// takes the worker from requests queued behind it that would have made it. An idle worker (no backlog, no queue
    /// wait) has no one to displace, so there the plain prediction decides. Nor is there a margin where the router's
    /// prefix index claims a cache hit: the error of such a prediction is about the cache (vLLM's evictions, which
    /// the router cannot see), not the worker's speed, and the margin shed long prompts that would have hit
    /// (Mooncake traces, docs/results.md §13).
    /// </summary>
    private static double AdmissionMargin(WorkerState worker, in LatencyEstimate estimate, bool claimedCacheHit) =>
        !claimedCacheHit && (worker.PendingPrefillTokens > 0 || estimate.WaitMs > 0) ? 1 + worker.Predictor.TtftUnderPrediction : 1;

    /// <summary>
    /// A cold worker's predictions are the generic prior, which can be several times too optimistic for a slow GPU,
    /// and its first measurement returns only with its first request's first token (a plain answer's, at its end); in
    /// a burst every request in that window would go to it. So, like TCP's slow start or a load balancer's warm-up for
    /// a new endpoint, it may hold only one request more than it has learned from until its model has seen enough
    /// first tokens or completions. The request then waits for a slot (or is shed) exactly as when no worker has room.
    /// </summary>
    private static bool InSlowStart(WorkerState worker, int slowStartObservations)
    {
        // Every completion counts, streamed or not: a fleet serving only plain answers never teaches the TTFT channel,
        // and counting only that kept every worker at one request in flight for good (seen in the overhead benchmark).
        var learned = Math.Max(worker.Predictor.Observations, worker.Predictor.Completions);
        return learned < slowStartObservations && worker.InFlight > learned;
    }
}
