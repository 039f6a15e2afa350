namespace Dio.Grains.Workers;

/// <summary>
/// What a worker grain persists (Orleans keeps a grain's state as its own record): its registration and everything
/// its predictors learned, so a silo restart loses neither the fleet nor its learned speeds.
/// </summary>
public sealed record WorkerGrainState(
    WorkerRegistration Registration,
    PredictorState Ttft,
    PredictorState Tpot,
    FaithfulPredictorState Faithful,
    AverageState MeanE2e,
    AverageState MeanPrompt,
    AverageState MeanOutput,
    AverageState MeanAbsPercentError);

/// <summary>One dual-timescale channel: both filters, the mix, the regressor scaling.</summary>
public sealed record PredictorState(double[] Fast, double[] Slow, double MixA, double MixPower, double FastSquaredError, double SlowSquaredError,
    double[] Mean, double[] Variance, long ScalingSamples, long Observations);

/// <summary>The original DIO's scalar predictor.</summary>
public sealed record FaithfulPredictorState(double FastSlope, double SlowSlope, double Bias, double[] Ring, int RingNext, AverageState MeanLatency);

/// <summary>An exponential average.</summary>
public sealed record AverageState(double Value, bool HasValue);
