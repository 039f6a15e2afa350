namespace Dio.Grains;

/// <summary>Everything a worker's predictors learned, as persisted with its grain: a silo restart or a re-activation
/// elsewhere picks up where it left off. <c>MeanTtft</c> and <c>MeanTpot</c> (measured means, for the fleet page) are
/// null in state saved before they were kept, and <c>Completions</c> (successful completions learned from, streamed or
/// not) is 0 there.</summary>
[GenerateSerializer, Alias("dio.learned-state")]
public sealed record LearnedState(
    [property: Id(0)] PredictorState Ttft,
    [property: Id(1)] PredictorState Tpot,
    [property: Id(2)] FaithfulPredictorState Faithful,
    [property: Id(3)] AverageState MeanE2e,
    [property: Id(4)] AverageState MeanPrompt,
    [property: Id(5)] AverageState MeanOutput,
    [property: Id(6)] AverageState MeanAbsPercentError,
    [property: Id(7)] AverageState? MeanTtft = null,
    [property: Id(8)] AverageState? MeanTpot = null,
    [property: Id(9)] long Completions = 0,
    [property: Id(10)] AverageState? TtftUnderPrediction = null);

/// <summary>One dual-timescale channel: both filters, the mix, the regressor scaling.</summary>
[GenerateSerializer, Alias("dio.predictor-state")]
public sealed record PredictorState(
    [property: Id(0)] double[] Fast,
    [property: Id(1)] double[] Slow,
    [property: Id(2)] double MixA,
    [property: Id(3)] double MixPower,
    [property: Id(4)] double FastSquaredError,
    [property: Id(5)] double SlowSquaredError,
    [property: Id(6)] double[] Mean,
    [property: Id(7)] double[] Variance,
    [property: Id(8)] long ScalingSamples,
    [property: Id(9)] long Observations);

/// <summary>The original DIO's scalar predictor.</summary>
[GenerateSerializer, Alias("dio.faithful-state")]
public sealed record FaithfulPredictorState(
    [property: Id(0)] double FastSlope,
    [property: Id(1)] double SlowSlope,
    [property: Id(2)] double Bias,
    [property: Id(3)] double[] Ring,
    [property: Id(4)] int RingNext,
    [property: Id(5)] AverageState MeanLatency);

/// <summary>An exponential average.</summary>
[GenerateSerializer, Alias("dio.average-state")]
public sealed record AverageState([property: Id(0)] double Value, [property: Id(1)] bool HasValue);
