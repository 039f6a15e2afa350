using Dio.Grains.Workers;

namespace Dio.Grains.Policies;

/// <summary>
/// Our reimplementation of llm-d's default endpoint picker (ANCHORS.md §1, GIE default-plugins.yaml):
/// saturation filter, then score = 2·queue + 2·kv-cache-utilization + 3·prefix-cache, max-score picker.
/// <list type="bullet">
/// <item>Saturation ("utilization-detector"): endpoint score max(waiting/5, kv/0.8); endpoints above 1 are dropped;
/// fails open when every endpoint would be.</item>
/// <item>Queue scorer: (max q − q)/(max q − min q) over the candidates, 1 when all are equal.</item>
/// <item>KV scorer: 1 − kv utilization. Prefix scorer: matched prefix blocks / request blocks.</item>
/// </list>
/// Both load signals add the requests and blocks this router sent since the last reading, which is what llm-d's
/// inflight-load-producer does between its scrapes; ties are broken at random.
/// </summary>
internal sealed class LlmdPolicy(Random random) : IRoutingPolicy
{
    public const double QueueWeight = 2;
    public const double KvWeight = 2;
    public const double PrefixWeight = 3;
    public const double QueueDepthThreshold = 5;
    public const double KvUtilizationThreshold = 0.8;

    public string Name => RoutingPolicyNames.Llmd;

    public bool EnforcesKvAdmission => false;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var candidates = context.Candidates;
        if (candidates.Length == 0)
        {
            return PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0));
        }

        var anyUnsaturated = false;
        for (var i = 0; i < candidates.Length; i++)
        {
            anyUnsaturated |= !IsSaturated(candidates[i]);
        }

        var minQueue = double.PositiveInfinity;
        var maxQueue = double.NegativeInfinity;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (anyUnsaturated && IsSaturated(candidates[i]))
            {
                continue;
            }

            var queue = QueueDepth(candidates[i]);
            minQueue = Math.Min(minQueue, queue);
            maxQueue = Math.Max(maxQueue, queue);
        }

        var best = new ReservoirArgMin(random);
        for (var i = 0; i < candidates.Length; i++)
        {
            var worker = candidates[i];
            if (anyUnsaturated && IsSaturated(worker))
            {
                continue;
            }

            var queueScore = maxQueue == minQueue ? 1 : (maxQueue - QueueDepth(worker)) / (maxQueue - minQueue);
            var kvScore = 1 - KvUtilization(worker);
            var score = (QueueWeight * queueScore) + (KvWeight * kvScore) + (PrefixWeight * context.PrefixMatch(i));
            best.Offer(i, -score);   // max-score picker
        }

        return PolicyDecision.Pick(best.Index);
    }

    internal static double QueueDepth(WorkerState worker) => (worker.Telemetry?.Waiting ?? 0) + worker.UncoveredRequests;

    internal static double KvUtilization(WorkerState worker) =>
        Math.Min(1, (double)(worker.UsedBlocks + worker.ReservedBlocks) / worker.Registration.NumGpuBlocks);

    private static bool IsSaturated(WorkerState worker) =>
        Math.Max(QueueDepth(worker) / QueueDepthThreshold, KvUtilization(worker) / KvUtilizationThreshold) > 1;
}
