using Dio.Grains.Scheduling;

namespace Dio.Grains.Workers;

/// <summary>Freezes the mutable predictors of a worker into a <see cref="PredictorView"/>.</summary>
internal static class LatencyModelViews
{
    private const double DefaultMeanPrompt = 1000;   // before any completion: a typical chat prompt
    private const double DefaultMeanOutput = 250;

    /// <summary>What a worker that has learned nothing predicts: the generic prior, never a per-GPU profile.</summary>
    public static readonly PredictorView Prior = new LatencyModel().ToView(default, default, default, default, new FaithfulNlmsPredictor());

    public static PredictorView ToView(this LatencyModel model, ExponentialAverage meanE2e, ExponentialAverage meanPrompt,
        ExponentialAverage meanOutput, ExponentialAverage meanAbsPercentError, FaithfulNlmsPredictor faithful) => new()
    {
        TtftCoefficients = model.Ttft.EffectiveCoefficients,
        TpotCoefficients = model.Tpot.EffectiveCoefficients,
        MinimumMs = model.Ttft.Minimum,
        MeanE2eMs = meanE2e.ValueOr(0),
        MeanPromptTokens = meanPrompt.ValueOr(DefaultMeanPrompt),
        MeanOutputTokens = meanOutput.ValueOr(DefaultMeanOutput),
        Observations = model.Ttft.Observations,
        MeanAbsPercentError = meanAbsPercentError.ValueOr(0),
        FastWeight = model.Tpot.FastWeight,
        FaithfulSlope = faithful.EffectiveSlope,
        FaithfulBias = faithful.Bias,
        FaithfulInterference = faithful.InterferenceFactor,
        FaithfulMeanLatencyMs = faithful.MeanLatencyMs,
    };
}
