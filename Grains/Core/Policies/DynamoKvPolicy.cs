namespace Dio.Grains.Policies;

/// <summary>
/// NVIDIA Dynamo's KV router (ai-dynamo/dynamo; <c>lib/kv-router/src/scheduling/selector.rs</c> <c>worker_score</c>
/// 116-152 at df888f68, and the newer <c>selector/default.rs</c> <c>worker_logit</c>), its defaults
/// (<c>scheduling/config.rs</c> 219-245): overlap weight (prefill load scale) 1.0, temperature 0, router queue on.
/// <code>
/// logit = 1.0·(active_prefill_tokens + isl − overlap·B)/B + active_blocks + (⌊isl/B⌋ − matched)
/// </code>
/// argmin, exact ties uniformly at random (the newer <c>pick_default_worker</c>). Router-local accounting
/// (<c>sequences/</c>): a request's prompt tokens are prefill load until its first token, its prompt blocks active
/// from routing to completion.
/// <list type="bullet">
/// <item>Router queue (<c>scheduling/queue.rs</c> 145-181, 353-398): when every worker has more than 4.0 ×
/// max_num_batched_tokens of prefill pending, requests wait, FCFS, with no cap and no timeout.</item>
/// <item>Busy thresholds (<c>discovery/worker_monitor.rs</c>, frontend defaults 1.0 of KV blocks): when every worker
/// is busy the request is refused with 503 (<c>push_router.rs</c> 669-692).</item>
/// </list>
/// </summary>
internal sealed class DynamoKvPolicy(Random random) : IRoutingPolicy
{
    public const double PrefillLoadScale = 1.0;
    public const double OverlapCredit = 1.0;
    public const double RouterQueueThreshold = 4.0;
    public const double ActiveDecodeBlocksThreshold = 1.0;

    public string Name => RoutingPolicyNames.DynamoKv;

    public bool EnforcesKvAdmission => false;

    /// <summary>Dynamo's router queue has no timeout.</summary>
    public double QueueTimeoutMs(double ttftSloMs) => double.PositiveInfinity;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var candidates = context.Candidates;
        var allQueued = candidates.Length > 0;
        var allBusy = candidates.Length > 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            var worker = candidates[i];
            var total = worker.Registration.NumGpuBlocks;
            allQueued &= worker.PendingPrefillTokens > RouterQueueThreshold * VllmDefaults.MaxNumBatchedTokens(worker.Registration.GpuProfile);
            allBusy &= worker.UsedBlocks > ActiveDecodeBlocksThreshold * total || worker.ActivePromptBlocks > ActiveDecodeBlocksThreshold * total;
        }

        if (allBusy)
        {
            return PolicyDecision.Shed(ShedReason.QueueFull, PolicyDecision.RetryAfterFor(0));
        }

        if (allQueued)
        {
            return PolicyDecision.Wait(PolicyDecision.RetryAfterFor(0));
        }

        var best = new ReservoirArgMin(random);
        for (var i = 0; i < candidates.Length; i++)
        {
            var worker = candidates[i];
            var blockSize = (double)worker.Registration.BlockSize;
            var matched = context.MatchedPrefixBlocks[i];
            var prefill = PrefillLoadScale * (worker.PendingPrefillTokens + Math.Max(context.PromptTokens - (OverlapCredit * matched * blockSize), 0)) / blockSize;
            var newBlocks = Math.Max(0, Math.Floor(context.PromptTokens / blockSize) - matched);
            best.Offer(i, prefill + worker.ActivePromptBlocks + newBlocks);
        }

        return best.Index < 0
            ? PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0))
            : PolicyDecision.Pick(best.Index);
    }
}
