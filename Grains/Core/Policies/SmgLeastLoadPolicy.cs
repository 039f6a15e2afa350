namespace Dio.Grains.Policies;

/// <summary>
/// SGLang Model Gateway's <c>least_load</c> (smg-project/smg f8daa88, <c>model_gateway/src/policies/least_load.rs</c>),
/// as an operator runs it on vLLM workers over HTTP:
/// score = (queued + dispatched-since-poll tokens)/throughput + λ·k/(1−k), lowest wins, exact ties uniformly at
/// random (reservoir sampling, 317-350, since #2096).
/// <list type="bullet">
/// <item>queued = waiting requests × p̄, p̄ = 1024 (<c>DEFAULT_MEAN_PREFILL_TOKENS</c>, 19; vLLM reports no
/// <c>num_waiting_uncached_tokens</c>, 225-231).</item>
/// <item>Dispatched since the last poll: +p̄ per HTTP dispatch (235-239, 354-357), reset by each reading (388-399);
/// here, the requests no reading covers yet.</item>
/// <item>throughput = the operator's measured <c>default_throughput</c> for that GPU (vLLM reports no
/// <c>gen_throughput</c>); 2000 tok/s when none is configured (<c>DEFAULT_THROUGHPUT</c>, 25).</item>
/// <item>λ = 0.15 s (<c>DEFAULT_KV_PRESSURE_WEIGHT</c>, 15); k = KV usage clamped to 0.999 (200).</item>
/// </list>
/// Admission is SMG's default: none (<c>max_concurrent_requests = -1</c>, main.rs:709-710).
/// </summary>
internal sealed class SmgLeastLoadPolicy(Random random, IReadOnlyDictionary<string, double> measuredThroughput) : IRoutingPolicy
{
    public const double FallbackThroughput = 2000;   // tokens/s
    public const double MeanPrefillTokens = 1024;
    public const double KvBarrierWeight = 0.15;
    private const double MaxUtilization = 0.999;     // keeps k/(1−k) finite

    public string Name => RoutingPolicyNames.SmgLeastLoad;

    public bool EnforcesKvAdmission => false;

    public PolicyDecision Decide(in RoutingContext context)
    {
        var best = new ReservoirArgMin(random);
        for (var i = 0; i < context.Candidates.Length; i++)
        {
            var worker = context.Candidates[i];
            var throughput = measuredThroughput.TryGetValue(worker.Registration.GpuProfile, out var measured) && measured > 0
                ? measured
                : FallbackThroughput;
            var k = Math.Min(MaxUtilization, worker.Telemetry?.KvUsage ?? 0);
            var tokens = ((worker.Telemetry?.Waiting ?? 0) + worker.UncoveredRequests) * MeanPrefillTokens;
            best.Offer(i, (tokens / throughput) + (KvBarrierWeight * k / (1 - k)));
        }

        return best.Index < 0
            ? PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0))
            : PolicyDecision.Pick(best.Index);
    }
}
