using Dio.Grains.Workers;

namespace Dio.Bench.Simulation.LlmdLatency;

/// <summary>
/// What llm-d's endpoint picker sends its latency predictor for one endpoint (llm-d-inference-scheduler 520af478,
/// <c>predictedlatency/training.go</c> 34-99), after the predictor's own feature engineering
/// (llm-d-latency-predictor 04e44cd8, <c>training_server.py</c> <c>_prepare_features_with_interaction</c> 391-463).
/// Columns that are constant in this setting (decode tokens in flight, encoder sizes, pod role) are left out: they
/// change no fit. The input length is in tokens here, where llm-d counts the prompt's words; a constant ratio changes
/// neither a linear fit's predictions nor a tree's.
/// </summary>
internal readonly record struct LatencyFeatures(double KvUsage, double InputTokens, double Waiting, double Running,
    double PrefillTokensInFlight, double PrefixScore)
{
    /// <summary>Columns of the TTFT model: is_queued, kv, input, waiting, running, prefill in flight, prefix score,
    /// effective input (1 − prefix)·input, prefill-score bucket min(⌊4·prefix⌋, 3).</summary>
    public double[] Ttft(bool queuedModel = true) => queuedModel
        ? [Waiting > 0 ? 1 : 0, KvUsage, InputTokens, Waiting, Running, PrefillTokensInFlight, PrefixScore, (1 - PrefixScore) * InputTokens, PrefixBucket]
        : [KvUsage, InputTokens, Running, PrefillTokensInFlight, PrefixScore, (1 - PrefixScore) * InputTokens, PrefixBucket];

    /// <summary>Columns of the TPOT model: is_queued, kv, input, waiting, running, prefill in flight.</summary>
    public double[] Tpot(bool queuedModel = true) => queuedModel
        ? [Waiting > 0 ? 1 : 0, KvUsage, InputTokens, Waiting, Running, PrefillTokensInFlight]
        : [KvUsage, InputTokens, Running, PrefillTokensInFlight];

    public int PrefixBucket => Math.Min((int)(PrefixScore * 4), 3);

    /// <summary>The training bucket (<c>training_server.py</c> 244-328): queue 0 | 1–2 | 3–5 | 6–10 | 11+, KV in 20ths,
    /// prefix in quarters.</summary>
    public (int Queue, int Kv, int Prefix) Bucket => (Waiting switch { 0 => 0, <= 2 => 1, <= 5 => 2, <= 10 => 3, _ => 4 },
        Math.Min((int)(KvUsage * 20), 19), PrefixBucket);

    /// <summary>An endpoint's features from its scraped metrics and the picker's own in-flight counter.</summary>
    public static LatencyFeatures Of(WorkerState worker, double inputTokens, double prefillInFlight, double prefixScore)
    {
        var telemetry = worker.Telemetry;
        return new LatencyFeatures(Math.Clamp(telemetry?.KvUsage ?? 0, 0, 1), inputTokens, telemetry?.Waiting ?? 0,
            telemetry?.Running ?? 0, prefillInFlight, prefixScore);
    }
}
