namespace Dio.Grains.Policies;

/// <summary>
/// Our reimplementation of SGLang Model Gateway's <c>least_load</c> (ANCHORS.md §3,
/// <c>model_gateway/src/policies/least_load.rs</c>): score = (queued + in-flight tokens)/throughput +
/// 0.15·k/(1−k), k = KV utilization, throughput = the worker's live generation rate, 2000 tok/s when unknown;
/// lowest score wins (first on a tie, as the original iterates). In-flight tokens are the router's own credit
/// (prompt + expected output of every request it sent), which is what SMG adds between its load polls.
/// </summary>
internal sealed class SmgLeastLoadPolicy : IRoutingPolicy
{
    public const double FallbackThroughput = 2000;   // tokens/s
    public const double KvBarrierWeight = 0.15;
    private const double MaxUtilization = 0.999;     // keeps k/(1−k) finite

    public string Name => RoutingPolicyNames.SmgLeastLoad;

    public bool EnforcesKvAdmission => false;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var best = -1;
        var bestScore = double.PositiveInfinity;
        for (var i = 0; i < context.Candidates.Length; i++)
        {
            var worker = context.Candidates[i];
            var throughput = worker.Telemetry is { GenerationTokensPerSecond: > 0 } t ? t.GenerationTokensPerSecond : FallbackThroughput;
            var k = Math.Min(MaxUtilization, worker.Telemetry?.KvUsage ?? 0);
            var score = (worker.OutstandingTokens / throughput) + (KvBarrierWeight * k / (1 - k));
            if (score < bestScore)
            {
                best = i;
                bestScore = score;
            }
        }

        return best < 0
            ? PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0))
            : PolicyDecision.Pick(best);
    }
}
