namespace Dio.Grains.Scheduling;

/// <summary>
/// DIO-R's per-worker latency model (ALGORITHMS.md §2.2): a TTFT channel and a TPOT channel, each a
/// <see cref="DualTimescalePredictor"/>; E2E = TTFT + expected output tokens × TPOT. Features are scaled so that
/// each component is O(1), which keeps NLMS well conditioned.
/// </summary>
/// <remarks>
/// The TTFT channel extends §2.2's <c>a0 + a1·P/1000</c> with the load of prompt tokens dispatched to the worker
/// but not yet started (see <see cref="TtftFeatures"/>). vLLM V1 serves prefills FCFS under a per-step token budget, so TTFT grows with that
/// backlog; without it a burst between two telemetry readings would pile onto the worker that was fastest when
/// idle. The backlog is counted by the router itself, so it has no telemetry lag. The in-flight count is left to
/// the TPOT channel: decodes add little to a prefill-bound step, and in bursts the count rises together with the
/// backlog, so a regressor for it soaked up the backlog's effect and then over-predicted TTFT by 3–5× while
/// requests were only decoding (measured on the Azure code trace, hetero-8).
/// </remarks>
internal sealed class LatencyModel
{
    private static readonly Vector4 TtftPrior = Vector4.Of(50, 100, 0);    // ms; generic, not per GPU: no offline profiling
    private static readonly Vector4 TtftFloor = Vector4.Of(0.1, 0, 0);
    private static readonly Vector4 TpotPrior = Vector4.Of(20, 5, 5);           // ms per output token
    private static readonly Vector4 TpotFloor = Vector4.Of(0.1, 0, 0);
    private const double MinimumMs = 0.1;

    public LatencyModel(bool adaptiveBlend = true)
    {
        Ttft = new DualTimescalePredictor(TtftPrior, TtftFloor, dimensions: 3, MinimumMs, adaptiveBlend);
        Tpot = new DualTimescalePredictor(TpotPrior, TpotFloor, dimensions: 3, MinimumMs, adaptiveBlend);
    }

    public DualTimescalePredictor Ttft { get; }

    public DualTimescalePredictor Tpot { get; }

    /// <summary>TTFT regressors: [1, (P + pending prefill tokens)/1000, pending prefill tokens/1000].</summary>
    /// <remarks>
    /// Prefill is FCFS, so every token ahead of a request costs what its own tokens cost: the second regressor
    /// charges the backlog at the per-token rate the worker learns from every request, and the third only learns
    /// what queueing adds on top (its slope is kept ≥ 0). With the backlog as a separate regressor only, its slope
    /// stayed near the prior on workers that rarely queue, and a 10× spike then piled onto a T4 predicted at 1.8 s
    /// that answered in 7–9 s (measured, T5 on hetero-8).
    /// </remarks>
    public static Vector4 TtftFeatures(double promptTokens, double pendingPrefillTokens) =>
        Vector4.Of(1, (promptTokens + pendingPrefillTokens) * 1e-3, pendingPrefillTokens * 1e-3);

    /// <summary>TPOT regressors: [1, running sequences/16, KV tokens in use/10⁵].</summary>
    public static Vector4 TpotFeatures(double inFlight, double kvTokensInUse) =>
        Vector4.Of(1, inFlight * 0.0625, kvTokensInUse * 1e-5);

    public double PredictE2e(in Vector4 ttftFeatures, in Vector4 tpotFeatures, double outputTokens) =>
        Ttft.Predict(ttftFeatures) + (outputTokens * Tpot.Predict(tpotFeatures));

    /// <summary>
    /// Learns from one completed request, with the features recorded when it was dispatched. TPOT is trained on
    /// (E2E − TTFT)/(D − 1), which needs at least two output tokens. <paramref name="ttftLearned"/>: the TTFT channel
    /// learned this request at its first token already, so only TPOT learns here.
    /// </summary>
    public void Learn(in Vector4 ttftFeatures, in Vector4 tpotFeatures, double ttftMs, double e2eMs, int completionTokens, bool ttftLearned = false)
    {
        if (ttftMs > 0 && !ttftLearned)
        {
            Ttft.Update(ttftFeatures, ttftMs);
        }

        if (completionTokens >= 2 && e2eMs > ttftMs)
        {
            Tpot.Update(tpotFeatures, (e2eMs - ttftMs) / (completionTokens - 1));
        }
    }
}
