using Dio.Grains.Scheduling;

namespace Dio.Grains.Workers;

/// <summary>What DIO-R predicts for one request on one worker (ms), with the features the prediction used.</summary>
internal readonly struct LatencyEstimate
{
    public readonly double WaitMs;
    public readonly double TtftMs;
    public readonly double TpotMs;
    public readonly double E2eMs;
    public readonly Vector4 TtftFeatures;
    public readonly Vector4 TpotFeatures;

    private LatencyEstimate(double waitMs, double ttftMs, double tpotMs, double e2eMs, in Vector4 ttftFeatures, in Vector4 tpotFeatures)
    {
        WaitMs = waitMs;
        TtftMs = ttftMs;
        TpotMs = tpotMs;
        E2eMs = e2eMs;
        TtftFeatures = ttftFeatures;
        TpotFeatures = tpotFeatures;
    }

    /// <summary>Time to first token including the queue wait.</summary>
    public double WaitPlusTtftMs => WaitMs + TtftMs;

    /// <summary>TTFT on this worker were it idle: no backlog, no queue. No load can make a request faster.</summary>
    public static double IdleTtftMs(WorkerState worker, double promptTokens)
    {
        var predictor = worker.Predictor;
        return Math.Max(predictor.MinimumMs, predictor.TtftCoefficients.Dot(LatencyModel.TtftFeatures(promptTokens, 0)));
    }

    /// <summary>
    /// Predicts from a worker's published state: the queue wait of §2.4, then the two NLMS channels of §2.2 at the
    /// worker's current load. Reads only immutable views and single fields; allocates nothing.
    /// </summary>
    /// <param name="worker">The worker's published state.</param>
    /// <param name="promptTokens">P.</param>
    /// <param name="outputTokens">D̂, expected output tokens.</param>
    /// <param name="withDecode">False skips the TPOT channel when only TTFT is scored (then TPOT and E2E are NaN,
    /// unless t̄ is still unknown and the wait needs the E2E).</param>
    public static LatencyEstimate For(WorkerState worker, double promptTokens, double outputTokens, bool withDecode = true)
    {
        var predictor = worker.Predictor;
        var load = worker.Load;
        var ttftFeatures = LatencyModel.TtftFeatures(promptTokens, worker.PendingPrefillTokens);
        var ttft = Math.Max(predictor.MinimumMs, predictor.TtftCoefficients.Dot(ttftFeatures));

        var tpot = double.NaN;
        var e2e = double.NaN;
        var tpotFeatures = default(Vector4);
        if (withDecode || predictor.MeanE2eMs <= 0)
        {
            var kvTokens = (double)(worker.UsedBlocks + worker.ReservedBlocks) * worker.Registration.BlockSize;
            tpotFeatures = LatencyModel.TpotFeatures(load, kvTokens);
            tpot = Math.Max(predictor.MinimumMs, predictor.TpotCoefficients.Dot(tpotFeatures));
            e2e = ttft + (outputTokens * tpot);
        }

        // Before the first completion t̄ is unknown; the model's own E2E is the best stand-in.
        var meanService = predictor.MeanE2eMs > 0 ? predictor.MeanE2eMs : e2e;
        var wait = QueueWait.EstimateMs(load, worker.Concurrency, meanService);
        return new LatencyEstimate(wait, ttft, tpot, e2e, ttftFeatures, tpotFeatures);
    }
}
