namespace Dio.Grains.Workers;

/// <summary>Builds the control API's <see cref="WorkerSnapshot"/> from a published view.</summary>
internal static class WorkerSnapshots
{
    /// <summary>The view's registration, health and reading next to readable predictions: idle TTFT for a
    /// 1,000-token prompt and TPOT at the last reading's load. Lease counts are the router's and are left 0.</summary>
    public static WorkerSnapshot From(WorkerView view, DateTimeOffset takenAt)
    {
        ArgumentNullException.ThrowIfNull(view);
        var state = new WorkerState(view.Registration);
        state.Apply(view);
        var idle = LatencyEstimate.For(state, 1000, 0);
        var predictor = view.Predictor;
        return new WorkerSnapshot(view.Registration, view.Healthy, view.Telemetry, idle.TtftMs, idle.TpotMs, predictor.MeanE2eMs,
            predictor.Observations, predictor.MeanAbsPercentError, predictor.FastWeight, takenAt,
            MeanTtftMs: predictor.MeanTtftMs, MeanTpotMs: predictor.MeanTpotMs);
    }
}
