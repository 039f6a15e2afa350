namespace Dio.Emulator.Engine.Engine;

/// <summary>Cumulative counters and histograms an engine exposes as vLLM's Prometheus metrics.</summary>
public sealed class EngineCounters
{
    public long Steps { get; internal set; }

    /// <summary>Engine seconds of every step planned (noise, drift and slow-down included): busy time, for utilisation.</summary>
    public double BusySeconds { get; internal set; }

    public long Preemptions { get; internal set; }

    public long PromptTokens { get; internal set; }

    public long GenerationTokens { get; internal set; }

    public long Finished { get; internal set; }

    public long Aborted { get; internal set; }

    public long PrefixCacheQueries { get; internal set; }

    public long PrefixCacheHits { get; internal set; }

    /// <summary>vllm:time_to_first_token_seconds buckets.</summary>
    public Histogram TimeToFirstToken { get; } = new([0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560]);

    /// <summary>vllm:inter_token_latency_seconds buckets.</summary>
    public Histogram InterTokenLatency { get; } = new([0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80]);

    /// <summary>vllm:e2e_request_latency_seconds buckets.</summary>
    public Histogram EndToEnd { get; } = new([0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680]);
}
