using Dio.Grains.Scheduling;

namespace Dio.Grains.Workers;

/// <summary>
/// What a worker grain has learned, frozen for lock-free reads by the router: replaced wholesale after every
/// completion, never mutated (STYLE.md B2.6).
/// </summary>
internal sealed record PredictorView
{
    public static readonly PredictorView Prior = new LatencyModel().ToView(default, default, default, default, new FaithfulNlmsPredictor());

    public required Vector4 TtftCoefficients { get; init; }

    public required Vector4 TpotCoefficients { get; init; }

    public required double MinimumMs { get; init; }

    /// <summary>t̄: EMA of measured E2E, 0 before the first completion.</summary>
    public required double MeanE2eMs { get; init; }

    public required double MeanPromptTokens { get; init; }

    public required double MeanOutputTokens { get; init; }

    public required long Observations { get; init; }

    public required double MeanAbsPercentError { get; init; }

    public required double FastWeight { get; init; }

    public required double FaithfulSlope { get; init; }

    public required double FaithfulBias { get; init; }

    public required double FaithfulInterference { get; init; }

    public required double FaithfulMeanLatencyMs { get; init; }
}
