namespace Dio.Grains.Policies;

/// <summary>
/// Our reimplementation of NVIDIA Dynamo's KV router cost (ANCHORS.md §4, docs/components/router/router-concepts.md):
/// cost = prefill_load_scale·max(active_prefill_blocks + new_prompt_blocks − overlap_blocks, 0)
///        + active_decode_blocks + new_blocks,
/// with prefill_load_scale = 1 and device overlap credit 1, argmin at temperature 0 (ties at random). Active blocks
/// are router-local: prompt blocks of requests not yet started (prefill) and of all in-flight requests (decode).
/// </summary>
internal sealed class DynamoKvPolicy(Random random) : IRoutingPolicy
{
    public const double PrefillLoadScale = 1.0;
    public const double OverlapCredit = 1.0;

    public string Name => RoutingPolicyNames.DynamoKv;

    public bool EnforcesKvAdmission => false;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var best = new ReservoirArgMin(random);
        for (var i = 0; i < context.Candidates.Length; i++)
        {
            var worker = context.Candidates[i];
            var blockSize = worker.Registration.BlockSize;
            var newBlocks = Math.Ceiling((double)context.PromptTokens / blockSize);
            var activePrefill = Math.Ceiling((double)worker.PendingPrefillTokens / blockSize);
            var overlap = OverlapCredit * context.MatchedPrefixBlocks[i];
            var prefill = PrefillLoadScale * Math.Max(activePrefill + newBlocks - overlap, 0);
            best.Offer(i, prefill + worker.ActivePromptBlocks + newBlocks);
        }

        return best.Index < 0
            ? PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0))
            : PolicyDecision.Pick(best.Index);
    }
}
