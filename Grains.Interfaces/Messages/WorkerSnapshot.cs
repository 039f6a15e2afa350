namespace Dio.Grains;

/// <summary>A worker's state as the control API shows it: raw telemetry next to what the predictor believes.</summary>
/// <param name="Registration">What the worker registered.</param>
/// <param name="Healthy">False after failed polls or transport failures, until it answers again.</param>
/// <param name="Telemetry">Latest engine reading, null before the first.</param>
/// <param name="PredictedTtftMs">Predicted idle TTFT for a 1,000-token prompt (ms), a readable summary of the TTFT model.</param>
/// <param name="PredictedTpotMs">Predicted time per output token at the current load (ms).</param>
/// <param name="MeanE2eMs">EMA of measured end-to-end time (ms).</param>
/// <param name="Observations">Completions the predictor learned from.</param>
/// <param name="MeanAbsPercentError">EMA of |predicted − measured| / measured for E2E, 0–∞.</param>
/// <param name="FastWeight">λ of the adaptive fast/slow combination of the TPOT channel, 0–1.</param>
/// <param name="TakenAt">When this snapshot was made.</param>
/// <param name="InFlight">Requests with an open lease on this worker (the router grain's count; 0 when the router was not asked).</param>
/// <param name="ReservedBlocks">KV blocks leased for requests the telemetry does not show yet (the router grain's count).</param>
/// <param name="MeanTtftMs">EMA of measured TTFT (ms, from dispatch, the worker's own queue included), 0 before the first streamed completion (a plain
/// answer has no first token to time).</param>
/// <param name="MeanTpotMs">EMA of measured TPOT (ms per output token after the first), 0 before the first streamed completion.</param>
[GenerateSerializer, Immutable, Alias("dio.worker-snapshot")]
public sealed record WorkerSnapshot(
    [property: Id(0)] WorkerRegistration Registration,
    [property: Id(1)] bool Healthy,
    [property: Id(2)] WorkerTelemetry? Telemetry,
    [property: Id(3)] double PredictedTtftMs,
    [property: Id(4)] double PredictedTpotMs,
    [property: Id(5)] double MeanE2eMs,
    [property: Id(6)] long Observations,
    [property: Id(7)] double MeanAbsPercentError,
    [property: Id(8)] double FastWeight,
    [property: Id(9)] DateTimeOffset TakenAt,
    [property: Id(10)] int InFlight = 0,
    [property: Id(11)] int ReservedBlocks = 0,
    [property: Id(12)] double MeanTtftMs = 0,
    [property: Id(13)] double MeanTpotMs = 0);
