using Dio.Grains.Workers;

namespace Dio.Grains.Policies;

/// <summary>
/// llm-d's endpoint picker (llm-d/llm-d-router ebab687). <c>llm-d</c> is its default profile
/// (<c>pkg/epp/config/loader/defaults.go</c> 47-104): no filter, score = 2·queue + 2·kv-cache-utilization +
/// 3·prefix-cache, max-score picker, ties at random.
/// <list type="bullet">
/// <item>Queue scorer: (max q − q)/(max q − min q) over the candidates of the scraped waiting queue, 1 when all are
/// equal. KV scorer: 1 − scraped KV utilization. Prefix scorer: matched prefix blocks / request blocks.</item>
/// </list>
/// <c>llm-d-hetero</c> is the profile llm-d documents for mixed hardware: the same plus its
/// <c>context-length-aware</c> scorer at weight 8 (<c>contextlengthaware/README.md</c> 34-47) over per-GPU ranges
/// an operator would label (<see cref="ContextRange"/>), and flow control (a feature gate): a request waits, FCFS,
/// while the pool's saturation — the mean over endpoints of max(waiting/5, kv/0.8)
/// (<c>saturationdetector/utilization</c> config.go 29-39, detector.go 128-165) — is at least 1, and is refused
/// with 429 after 60 s (<c>flowcontrol</c> processor.go 437-529).
/// </summary>
internal sealed class LlmdPolicy(Random random, bool heterogeneous = false) : IRoutingPolicy
{
    public const double QueueWeight = 2;
    public const double KvWeight = 2;
    public const double PrefixWeight = 3;
    public const double ContextLengthWeight = 8;
    public const double QueueDepthThreshold = 5;
    public const double KvUtilizationThreshold = 0.8;
    public const double FlowControlTimeoutMs = 60_000;

    public string Name => heterogeneous ? RoutingPolicyNames.LlmdHetero : RoutingPolicyNames.Llmd;

    public bool EnforcesKvAdmission => false;

    /// <summary>Flow control's queue timeout; the default profile never queues.</summary>
    public double QueueTimeoutMs(double ttftSloMs) => FlowControlTimeoutMs;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var candidates = context.Candidates;
        if (candidates.Length == 0)
        {
            return PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0));
        }

        if (heterogeneous && (context.QueuedRequests > 0 || PoolSaturation(candidates) >= 1))
        {
            return PolicyDecision.Wait(PolicyDecision.RetryAfterFor(0));   // FCFS behind the queue
        }

        var minQueue = double.PositiveInfinity;
        var maxQueue = double.NegativeInfinity;
        for (var i = 0; i < candidates.Length; i++)
        {
            var queue = QueueDepth(candidates[i]);
            minQueue = Math.Min(minQueue, queue);
            maxQueue = Math.Max(maxQueue, queue);
        }

        var best = new ReservoirArgMin(random);
        for (var i = 0; i < candidates.Length; i++)
        {
            var worker = candidates[i];
            var queueScore = maxQueue == minQueue ? 1 : (maxQueue - QueueDepth(worker)) / (maxQueue - minQueue);
            var kvScore = 1 - KvUtilization(worker);
            var score = (QueueWeight * queueScore) + (KvWeight * kvScore) + (PrefixWeight * context.PrefixMatch(i));
            if (heterogeneous)
            {
                var (min, max) = ContextRange(worker.Registration);
                score += ContextLengthWeight * ContextLengthScore(context.PromptTokens, min, max);
            }

            best.Offer(i, -score);   // max-score picker
        }

        return PolicyDecision.Pick(best.Index);
    }

    internal static double QueueDepth(WorkerState worker) => worker.Telemetry?.Waiting ?? 0;

    internal static double KvUtilization(WorkerState worker) => Math.Clamp(worker.Telemetry?.KvUsage ?? 0, 0, 1);

    /// <summary>The utilization detector's pool saturation: the mean of each endpoint's max(q/5, kv/0.8).</summary>
    internal static double PoolSaturation(ReadOnlySpan<WorkerState> candidates)
    {
        var sum = 0.0;
        foreach (var worker in candidates)
        {
            sum += Math.Max(QueueDepth(worker) / QueueDepthThreshold, KvUtilization(worker) / KvUtilizationThreshold);
        }

        return sum / candidates.Length;
    }

    /// <summary>
    /// The <c>llm-d.ai/context-length-range</c> label an operator would give each GPU, as llm-d's README does with
    /// its 0-2048 and 2048-8192 pods: the slow GPUs take short prompts (a 4k prompt takes seconds to prefill on a T4),
    /// the fast ones everything up to their max_model_len.
    /// </summary>
    internal static (int Min, int Max) ContextRange(WorkerRegistration registration) => registration.GpuProfile.ToUpperInvariant() switch
    {
        "T4" => (0, 1024),
        "L4" or "A10G" => (0, 2048),
        _ => (0, registration.MaxModelLen),
    };

    /// <summary><c>calculateRangeScore</c> (context_length_aware.go 253-283): in range 0.3 + 0.7·(0.7·width score +
    /// 0.3·headroom), out of range 0.3/(1 + distance/1000).</summary>
    internal static double ContextLengthScore(int tokens, int min, int max)
    {
        if (tokens >= min && tokens <= max)
        {
            var width = max - min;
            if (width == 0)
            {
                return 1;
            }

            var widthScore = 1.0 / (1.0 + (width / 10000.0));
            var positionScore = (double)(max - tokens) / width;
            return 0.3 + (0.7 * ((0.7 * widthScore) + (0.3 * positionScore)));
        }

        var distance = tokens > max ? tokens - max : min - tokens;
        return 0.3 / (1.0 + (distance / 1000.0));
    }
}
