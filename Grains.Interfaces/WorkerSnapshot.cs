namespace Dio.Grains;

/// <summary>A worker's state as the control API shows it: raw telemetry next to what the predictor believes.</summary>
/// <param name="Registration">What the worker registered.</param>
/// <param name="Healthy">False after failed polls or transport failures, until it answers again.</param>
/// <param name="Telemetry">Latest engine reading, null before the first.</param>
/// <param name="InFlight">Requests DIO has sent and not yet seen complete.</param>
/// <param name="ReservedBlocks">KV blocks reserved for requests the telemetry does not show yet.</param>
/// <param name="PredictedTtftMs">Predicted idle TTFT for a 1,000-token prompt (ms), a readable summary of the TTFT model.</param>
/// <param name="PredictedTpotMs">Predicted time per output token at the current load (ms).</param>
/// <param name="MeanE2eMs">EMA of measured end-to-end time (ms).</param>
/// <param name="Observations">Completions the predictor learned from.</param>
/// <param name="MeanAbsPercentError">EMA of |predicted − measured| / measured for E2E, 0–∞.</param>
/// <param name="FastWeight">λ of the adaptive fast/slow combination of the TPOT channel, 0–1.</param>
/// <param name="TakenAt">When this snapshot was made.</param>
public sealed record WorkerSnapshot(
    WorkerRegistration Registration,
    bool Healthy,
    WorkerTelemetry? Telemetry,
    int InFlight,
    int ReservedBlocks,
    double PredictedTtftMs,
    double PredictedTpotMs,
    double MeanE2eMs,
    long Observations,
    double MeanAbsPercentError,
    double FastWeight,
    DateTimeOffset TakenAt);
