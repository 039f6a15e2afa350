using Dio.Grains.Scheduling;

namespace Dio.Grains.Workers;

/// <summary>
/// A worker's learning model (ALGORITHMS.md §2.2): the TTFT and TPOT channels, the faithful scalar predictor and the
/// running means the queue-wait estimate needs. Learns from one <see cref="LearningSample"/> at a time and freezes
/// what it knows into a <see cref="PredictorView"/>. Not thread-safe: its owner (a worker grain, or the simulator)
/// runs one turn at a time.
/// </summary>
internal sealed class WorkerLearner(bool adaptiveBlend = true)
{
    private const double AverageWeight = 0.1;
    private const double ErrorAverageWeight = 0.05;

    private LatencyModel _model = new(adaptiveBlend);
    private FaithfulNlmsPredictor _faithful = new();
    private ExponentialAverage _meanE2e = new(AverageWeight);
    private long _completions;
    private ExponentialAverage _meanPrompt = new(AverageWeight);
    private ExponentialAverage _meanOutput = new(AverageWeight);
    private ExponentialAverage _meanAbsPercentError = new(ErrorAverageWeight);
    private ExponentialAverage _meanTtft = new(AverageWeight);
    private ExponentialAverage _meanTpot = new(AverageWeight);
    private ExponentialAverage _ttftUnderPrediction = new(ErrorAverageWeight);

    /// <summary>What has been learned so far, frozen.</summary>
    public PredictorView View { get; private set; } = LatencyModelViews.Prior;

    /// <summary>
    /// Learns from a successful completion; false (and nothing learned) for any other outcome. The TTFT channel
    /// models service, not the queue wait the router's score adds separately, so the predicted wait comes off first.
    /// </summary>
    /// <param name="sample">What the router recorded at dispatch and the frontend measured.</param>
    /// <param name="freeVramMb">NVML free memory at completion, for the faithful predictor (0 when unknown).</param>
    public bool Learn(in LearningSample sample, double freeVramMb)
    {
        if (sample.Kind != CompletionKind.Success)
        {
            return false;
        }

        var wait = sample.PredictedWaitMs;
        var ttft = Math.Max(0.1, sample.TtftMs - wait);
        if (sample.Part == SamplePart.FirstToken)
        {
            return sample.TtftMs > 0 && LearnFirstToken(sample, ttft);
        }

        if (sample.E2eMs <= 0)
        {
            return false;
        }

        var e2e = Math.Max(ttft, sample.E2eMs - wait);
        var ttftLearned = sample.Part == SamplePart.AfterFirstToken;
        _model.Learn(sample.TtftFeatures, sample.TpotFeatures, sample.TtftMs > 0 ? ttft : 0, e2e, sample.CompletionTokens, ttftLearned);
        _faithful.Update(sample.PromptTokens, sample.E2eMs, freeVramMb);
        _meanAbsPercentError.Add(Math.Abs(sample.PredictedE2eMs - sample.E2eMs) / sample.E2eMs);
        _meanE2e.Add(sample.E2eMs);
        _completions++;
        _meanPrompt.Add(sample.PromptTokens);
        if (sample.CompletionTokens > 0)
        {
            _meanOutput.Add(sample.CompletionTokens);
        }

        // Raw, the wait in the worker's queue included (the channels learn service time without it): what an operator
        // holds the learned values against.
        // Only a streamed answer has a first token to time, and TPOT needs two tokens after it.
        if (sample.TtftMs > 0)
        {
            if (!ttftLearned)
            {
                _meanTtft.Add(sample.TtftMs);
                AddUnderPrediction(sample);
            }

            if (sample.CompletionTokens >= 2 && sample.E2eMs > sample.TtftMs)
            {
                _meanTpot.Add((sample.E2eMs - sample.TtftMs) / (sample.CompletionTokens - 1));
            }
        }

        View = Freeze();
        return true;
    }

    /// <summary>A stream's first token: the TTFT channel learns now, the rest at completion (<see cref="SamplePart"/>).</summary>
    private bool LearnFirstToken(in LearningSample sample, double serviceTtftMs)
    {
        _model.Ttft.Update(sample.TtftFeatures, serviceTtftMs);
        _meanTtft.Add(sample.TtftMs);
        AddUnderPrediction(sample);
        View = Freeze();
        return true;
    }

    /// <summary>The share of a measured TTFT the prediction missed by coming in low (DioPolicy's admission margin).</summary>
    private void AddUnderPrediction(in LearningSample sample)
    {
        if (sample.PredictedTtftMs > 0 && sample.TtftMs > 0)
        {
            _ttftUnderPrediction.Add(Math.Max(0, sample.TtftMs - sample.PredictedTtftMs) / sample.TtftMs);
        }
    }

    public LearnedState Export() => new(_model.Ttft.Export(), _model.Tpot.Export(), _faithful.Export(), _meanE2e.Export(),
        _meanPrompt.Export(), _meanOutput.Export(), _meanAbsPercentError.Export(), _meanTtft.Export(), _meanTpot.Export(), _completions, _ttftUnderPrediction.Export());

    public void Import(LearnedState saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        _model.Ttft.Import(saved.Ttft);
        _model.Tpot.Import(saved.Tpot);
        _faithful.Import(saved.Faithful);
        _meanE2e.Import(saved.MeanE2e);
        _meanPrompt.Import(saved.MeanPrompt);
        _meanOutput.Import(saved.MeanOutput);
        _meanAbsPercentError.Import(saved.MeanAbsPercentError);
        _completions = saved.Completions;
        _meanTtft = new ExponentialAverage(AverageWeight);   // state saved before these were kept has none
        _meanTpot = new ExponentialAverage(AverageWeight);
        if (saved.MeanTtft is { } meanTtft)
        {
            _meanTtft.Import(meanTtft);
        }

        if (saved.MeanTpot is { } meanTpot)
        {
            _meanTpot.Import(meanTpot);
        }

        _ttftUnderPrediction = new ExponentialAverage(ErrorAverageWeight);
        if (saved.TtftUnderPrediction is { } underPrediction)
        {
            _ttftUnderPrediction.Import(underPrediction);
        }

        View = Freeze();
    }

    /// <summary>Forgets everything (a deregistered worker that comes back starts from the prior).</summary>
    public void Reset()
    {
        _model = new LatencyModel(adaptiveBlend);
        _faithful = new FaithfulNlmsPredictor();
        _meanE2e = new ExponentialAverage(AverageWeight);
        _meanPrompt = new ExponentialAverage(AverageWeight);
        _meanOutput = new ExponentialAverage(AverageWeight);
        _meanAbsPercentError = new ExponentialAverage(ErrorAverageWeight);
        _meanTtft = new ExponentialAverage(AverageWeight);
        _meanTpot = new ExponentialAverage(AverageWeight);
        _ttftUnderPrediction = new ExponentialAverage(ErrorAverageWeight);
        _completions = 0;
        View = LatencyModelViews.Prior;
    }

    private PredictorView Freeze() => _model.ToView(_meanE2e, _meanPrompt, _meanOutput, _meanAbsPercentError, _faithful) with
    {
        MeanTtftMs = _meanTtft.ValueOr(0),
        TtftUnderPrediction = _ttftUnderPrediction.ValueOr(0),
        MeanTpotMs = _meanTpot.ValueOr(0),
        Completions = _completions,
    };
}
