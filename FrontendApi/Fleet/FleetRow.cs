using Dio.Grains;

namespace Dio.FrontendApi.Fleet;

/// <summary>One worker as the fleet page shows it: a flat view of its <see cref="WorkerSnapshot"/>.</summary>
/// <param name="WorkerId">The worker's id.</param>
/// <param name="Model">The model it serves (its routing pool).</param>
/// <param name="Gpu">GPU name it registered, e.g. <c>A100-80GB</c>.</param>
/// <param name="Healthy">The worker grain's health verdict.</param>
/// <param name="KvUsage">Fraction of KV blocks in use (vLLM's reading), 0–1; null before the first reading.</param>
/// <param name="InFlight">Requests with an open lease on it (the router grain's count).</param>
/// <param name="Running">Sequences in vLLM's running batch; null before the first reading.</param>
/// <param name="Waiting">Requests queued inside vLLM; null before the first reading.</param>
/// <param name="PredictedTtftMs">Learned: idle TTFT for a 1,000-token prompt (ms).</param>
/// <param name="MeanTtftMs">Measured: EMA of TTFT over streamed answers, the worker's own queue included (ms); null before the first.</param>
/// <param name="PredictedTpotMs">Learned: time per output token at the current load (ms).</param>
/// <param name="MeanTpotMs">Measured: EMA of TPOT over streamed answers (ms); null before the first.</param>
/// <param name="MeanAbsPercentError">EMA of |predicted − measured| / measured end-to-end time, 0–∞.</param>
/// <param name="Observations">Completions it served that its TTFT model learned from (streamed answers).</param>
/// <param name="ReadingAt">When vLLM's metrics were last read; null before the first reading.</param>
internal sealed record FleetRow(string WorkerId, string Model, string Gpu, bool Healthy, double? KvUsage, int InFlight, int? Running, int? Waiting,
    double PredictedTtftMs, double? MeanTtftMs, double PredictedTpotMs, double? MeanTpotMs, double MeanAbsPercentError, long Observations,
    DateTimeOffset? ReadingAt)
{
    public static FleetRow From(WorkerSnapshot snapshot)
    {
        var registration = snapshot.Registration;
        var telemetry = snapshot.Telemetry;
        return new FleetRow(registration.WorkerId, registration.Model, registration.GpuProfile, snapshot.Healthy, telemetry?.KvUsage,
            snapshot.InFlight, telemetry?.Running, telemetry?.Waiting, snapshot.PredictedTtftMs, Measured(snapshot.MeanTtftMs),
            snapshot.PredictedTpotMs, Measured(snapshot.MeanTpotMs), snapshot.MeanAbsPercentError, snapshot.Observations, telemetry?.TakenAt);
    }

    // A snapshot says 0 for "nothing measured yet"; the page shows a dash for null rather than a misleading 0 ms.
    private static double? Measured(double ms) => ms > 0 ? ms : null;
}
