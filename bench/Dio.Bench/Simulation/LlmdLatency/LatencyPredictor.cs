namespace Dio.Bench.Simulation.LlmdLatency;

/// <summary>
/// The TTFT and TPOT models of llm-d's latency predictor as the picker sees them: one pair per pool, refit from
/// scratch on the training window and handed to the prediction server on a timer. Constants: the predictor's
/// default model predicts 10 ms before any fit (<c>_create_default_model</c>, <c>training_server.py</c> 799-838);
/// a fresh start fits from 10 samples (<c>LATENCY_MIN_SAMPLES_FOR_RETRAIN_FRESH</c>, 75); once each of the four
/// queued/not-queued sets of TTFT and TPOT has 200 samples, separate models serve requests with and without a queue
/// (<c>MIN_SAMPLES_FOR_ENSEMBLE_SPLIT</c>, <c>prediction_server.py</c> 557-568); the chart retrains every 10 s and
/// the prediction server syncs every 30 s (<c>config/charts/epplib/values.yaml</c>), so a new model reaches the
/// picker every 30 s.
/// </summary>
internal sealed class LatencyPredictor
{
    public const double DefaultPredictionMs = 10;
    public const int MinSamples = 10;
    public const int EnsembleSplitSamples = 200;
    public const double RefreshSeconds = 30;

    private Models? _ttft;
    private Models? _tpot;
    private double _nextRefreshSeconds = RefreshSeconds;

    public TrainingStore TtftSamples { get; } = new();

    public TrainingStore TpotSamples { get; } = new();

    /// <summary>Refits when a refresh is due at <paramref name="nowSeconds"/>.</summary>
    public void Refresh(double nowSeconds)
    {
        if (nowSeconds < _nextRefreshSeconds)
        {
            return;
        }

        _nextRefreshSeconds = (Math.Floor(nowSeconds / RefreshSeconds) + 1) * RefreshSeconds;
        if (TtftSamples.Count + TpotSamples.Count < MinSamples)
        {
            return;
        }

        var split = new[] { TtftSamples, TpotSamples }.All(store => store.CountOf(false) >= EnsembleSplitSamples && store.CountOf(true) >= EnsembleSplitSamples);
        _ttft = Fit(TtftSamples, split, static (f, queued) => f.Ttft(queued)) ?? _ttft;
        _tpot = Fit(TpotSamples, split, static (f, queued) => f.Tpot(queued)) ?? _tpot;
    }

    public double PredictTtftMs(in LatencyFeatures features) => Predict(_ttft, features, static (f, queued) => f.Ttft(queued));

    public double PredictTpotMs(in LatencyFeatures features) => Predict(_tpot, features, static (f, queued) => f.Tpot(queued));

    private static double Predict(Models? models, in LatencyFeatures features, Func<LatencyFeatures, bool, double[]> columns)
    {
        if (models is null)
        {
            return DefaultPredictionMs;
        }

        if (models.NotQueued is { } notQueued && models.Queued is { } queued)
        {
            return features.Waiting == 0 ? notQueued.Predict(columns(features, false)) : queued.Predict(columns(features, true));
        }

        return models.All!.Predict(columns(features, true));
    }

    private static Models? Fit(TrainingStore store, bool split, Func<LatencyFeatures, bool, double[]> columns)
    {
        if (split)
        {
            return new Models(null, Ridge(store.Samples(false), s => columns(s, false)), Ridge(store.Samples(true), s => columns(s, true)));
        }

        var all = store.Samples();
        return all.Count >= MinSamples ? new Models(Ridge(all, s => columns(s, true)), null, null) : null;
    }

    private static BayesianRidge Ridge(List<(LatencyFeatures Features, double Label)> samples, Func<LatencyFeatures, double[]> columns) =>
        BayesianRidge.Fit([.. samples.Select(s => (columns(s.Features), s.Label))]);

    private sealed record Models(BayesianRidge? All, BayesianRidge? NotQueued, BayesianRidge? Queued);
}
