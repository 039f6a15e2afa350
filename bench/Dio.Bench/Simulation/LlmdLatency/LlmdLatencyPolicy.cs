using Dio.Grains;
using Dio.Grains.Policies;
using Dio.Grains.Workers;

namespace Dio.Bench.Simulation.LlmdLatency;

/// <summary>
/// <c>llm-d-latency</c>: llm-d's predicted-latency profile (llm-d/llm-d-inference-scheduler 520af478, the Helm chart's
/// profile when <c>latencyPredictor.enabled</c>, in its streaming "SLO-aware" variant), simulator only. Per request:
/// flow control first (wait while the pool is saturated, as <c>llm-d-hetero</c>); the latency-SLO admitter; then
/// strict prefix affinity (0.99), the SLO-headroom tier filter, loose prefix affinity (0.80), the latency scorer
/// and the weighted-random picker (<see cref="HeadroomPicker"/>). One online-trained model pair per pool
/// (<see cref="LatencyPredictor"/>) predicts each endpoint's TTFT and TPOT from its scraped metrics and the picker's
/// own count of prompt tokens it dispatched there. The model is the predictor's <c>bayesian_ridge</c> type, not the
/// chart's default XGBoost: a 200-tree, depth-6 boosted fit (ML.NET FastTree with those settings) took 1.3 s per refit
/// on 2,000 samples here, and a sweep refits thousands of times (see docs/baselines.md).
/// </summary>
internal sealed class LlmdLatencyPolicy(Random random, SimulationClock clock) : IRoutingPolicy
{
    public const string PolicyName = "llm-d-latency";

    /// <summary>The <c>x-slo-tpot-ms</c> the operator sends with every request. The evaluation's objective is TTFT only,
    /// but in streaming mode a request without a TPOT objective has negative headroom on every endpoint
    /// (<c>predictedlatency/prediction.go</c> 137-166), so the profile needs one; 100 ms per token is a common
    /// interactive objective and above what any emulated GPU needs at moderate batch.</summary>
    public const double TpotSloMs = 100;

    /// <summary>An endpoint with less KV in use is cold and always admissible (<c>admitter/latencyslo/plugin.go</c> 99-156).</summary>
    public const double ColdKvUsage = 0.02;

    private readonly LatencyPredictor _predictor = new();
    private readonly HeadroomPicker _picker = new(random);
    private readonly Dictionary<string, (int Dispatched, double PrefillTokens)> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerState> _workers = new(StringComparer.Ordinal);
    private HeadroomPicker.Endpoint[] _endpoints = [];

    public string Name => PolicyName;

    public bool EnforcesKvAdmission => false;

    /// <summary>Flow control's queue timeout, as <c>llm-d-hetero</c>'s.</summary>
    public double QueueTimeoutMs(double ttftSloMs) => LlmdPolicy.FlowControlTimeoutMs;

    /// <summary>The endpoint and features of the latest pick, for the simulator to attach to the request it routed.</summary>
    public Pick? LastPick { get; private set; }

    public PolicyDecision Decide(in RoutingContext context)
    {
        var candidates = context.Candidates;
        if (candidates.Length == 0)
        {
            return PolicyDecision.Shed(ShedReason.NoHealthyWorker, PolicyDecision.RetryAfterFor(0));
        }

        if (context.QueuedRequests > 0 || LlmdPolicy.PoolSaturation(candidates) >= 1)
        {
            return PolicyDecision.Wait(PolicyDecision.RetryAfterFor(0));   // flow control: FCFS behind the queue
        }

        _predictor.Refresh(clock.NowSeconds);
        if (_endpoints.Length < candidates.Length)
        {
            _endpoints = new HeadroomPicker.Endpoint[candidates.Length];
        }

        var admissible = false;
        for (var i = 0; i < candidates.Length; i++)
        {
            var worker = candidates[i];
            _workers[worker.WorkerId] = worker;
            var (dispatched, prefill) = _inFlight.GetValueOrDefault(worker.WorkerId);
            var features = LatencyFeatures.Of(worker, context.PromptTokens, prefill, context.PrefixMatch(i));
            var ttft = _predictor.PredictTtftMs(features);
            var tpot = _predictor.PredictTpotMs(features);
            _endpoints[i] = new HeadroomPicker.Endpoint(features, context.TtftSloMs - ttft, TpotSloMs - tpot, ttft, dispatched);
            admissible |= (ttft < context.TtftSloMs && tpot < TpotSloMs) || (worker.Telemetry?.Running ?? 0) == 0 || features.KvUsage < ColdKvUsage;
        }

        // The latency-SLO admitter (sheddable traffic with an objective): no endpoint meets it, none is idle or cold.
        if (!admissible)
        {
            return PolicyDecision.Shed(ShedReason.PredictedOverSlo, PolicyDecision.RetryAfterFor(0));
        }

        var chosen = _picker.Choose(_endpoints.AsSpan(0, candidates.Length));
        LastPick = new Pick(candidates[chosen].WorkerId, _endpoints[chosen].Features);
        return PolicyDecision.Pick(chosen);
    }

    /// <summary>The request left for its endpoint (the picker's PreRequest): counted in flight there.</summary>
    public void Dispatched(Pick pick)
    {
        var (dispatched, prefill) = _inFlight.GetValueOrDefault(pick.WorkerId);
        _inFlight[pick.WorkerId] = (dispatched + 1, prefill + pick.Features.InputTokens);
    }

    /// <summary>The first chunk arrived: a TTFT sample with the features of dispatch, the request itself counted in
    /// flight (<c>requestcontrol_hooks.go</c> 97-106, 267).</summary>
    public void FirstToken(Pick pick, double ttftMs) =>
        _predictor.TtftSamples.Add(pick.Features with { PrefillTokensInFlight = pick.Features.PrefillTokensInFlight + pick.Features.InputTokens }, ttftMs);

    /// <summary>The end of the stream: a TPOT sample (e2e − ttft)/(chunks − 1) with the endpoint's metrics now and no
    /// prefix (<c>requestcontrol_hooks.go</c> 154-174, 386); the request leaves the in-flight counts.</summary>
    public void Finished(Pick pick, double ttftMs, double e2eMs, int tokens)
    {
        var (dispatched, prefill) = _inFlight.GetValueOrDefault(pick.WorkerId);
        if (tokens > 1 && _workers.TryGetValue(pick.WorkerId, out var worker))
        {
            _predictor.TpotSamples.Add(LatencyFeatures.Of(worker, pick.Features.InputTokens, prefill, 0), (e2eMs - ttftMs) / (tokens - 1));
        }

        _inFlight[pick.WorkerId] = (Math.Max(0, dispatched - 1), Math.Max(0, prefill - pick.Features.InputTokens));
    }

    /// <summary>Where a request went and what the picker saw there.</summary>
    public sealed record Pick(string WorkerId, LatencyFeatures Features);
}
