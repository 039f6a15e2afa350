namespace Dio.Grains;

/// <summary>
/// What a worker grain has learned, frozen: published to its router grain inside every <see cref="WorkerView"/>,
/// replaced wholesale after every completion, never mutated.
/// </summary>
[GenerateSerializer, Immutable, Alias("dio.predictor-view")]
public sealed record PredictorView
{
    [Id(0)] public required Vector4 TtftCoefficients { get; init; }

    [Id(1)] public required Vector4 TpotCoefficients { get; init; }

    [Id(2)] public required double MinimumMs { get; init; }

    /// <summary>t̄: EMA of measured E2E, 0 before the first completion.</summary>
    [Id(3)] public required double MeanE2eMs { get; init; }

    [Id(4)] public required double MeanPromptTokens { get; init; }

    [Id(5)] public required double MeanOutputTokens { get; init; }

    [Id(6)] public required long Observations { get; init; }

    [Id(7)] public required double MeanAbsPercentError { get; init; }

    [Id(8)] public required double FastWeight { get; init; }

    [Id(9)] public required double FaithfulSlope { get; init; }

    [Id(10)] public required double FaithfulBias { get; init; }

    [Id(11)] public required double FaithfulInterference { get; init; }

    [Id(12)] public required double FaithfulMeanLatencyMs { get; init; }

    /// <summary>EMA of measured TTFT (ms, from dispatch to the first byte, the wait in the worker's own queue included), 0 before the first streamed completion.</summary>
    [Id(13)] public double MeanTtftMs { get; init; }

    /// <summary>EMA of measured TPOT (ms per output token after the first), 0 before the first streamed completion with two tokens.</summary>
    [Id(14)] public double MeanTpotMs { get; init; }

    /// <summary>Successful completions learned from since activation, streamed or not (<see cref="Observations"/>
    /// counts only those that taught the TTFT channel, which a plain answer cannot).</summary>
    [Id(15)] public long Completions { get; init; }

    /// <summary>EMA of max(0, measured − predicted) / measured TTFT (from dispatch): the share by which answers came in
    /// later than predicted, 0–1; 0 before the first.</summary>
    [Id(16)] public double TtftUnderPrediction { get; init; }
}
