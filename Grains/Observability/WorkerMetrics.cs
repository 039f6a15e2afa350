namespace Dio.Grains.Observability;

/// <summary>
/// One worker grain activation's metrics: the latest view it published, with its labels built once per registration
/// (so recording a completion allocates nothing), and the histograms of what each completion taught it. Written by
/// the activation's turns only; read by scrapes through one volatile reference to an immutable pair.
/// </summary>
internal sealed class WorkerMetrics(WorkerInstruments instruments, string workerId) : IDisposable
{
    private volatile Published? _current;

    public string WorkerId { get; } = workerId;

    /// <summary>What the gauges read; null before the first view and after deregistration.</summary>
    internal Published? Current => _current;

    /// <summary>Takes a newer view; the labels are rebuilt only when the model or the GPU changed.</summary>
    public void Publish(WorkerView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var current = _current;
        var labels = current is not null && string.Equals(current.View.Registration.Model, view.Registration.Model, StringComparison.Ordinal)
            && string.Equals(current.View.Registration.GpuProfile, view.Registration.GpuProfile, StringComparison.Ordinal)
            ? current.Labels
            : LabelsOf(view.Registration);
        _current = new Published(view, labels);
    }

    /// <summary>The worker left: it stops being exported (its series disappear from the next scrape).</summary>
    public void Clear() => _current = null;

    /// <summary>
    /// Records a successful completion: measured TTFT and TPOT next to what the router predicted at dispatch, and the
    /// TTFT error. Only streamed answers have a TTFT (a plain answer arrives whole), and the predictions are recorded
    /// for the same answers only, so that measured and predicted quantiles describe the same requests.
    /// </summary>
    public void Learned(in LearningSample sample)
    {
        if (_current is not { } current || sample.Kind != CompletionKind.Success || sample.TtftMs <= 0)
        {
            return;
        }

        // A stream's TTFT comes at its first token and its TPOT at its end (SamplePart): each recorded once.
        var labels = current.Labels.AsSpan();
        if (sample.Part != SamplePart.AfterFirstToken)
        {
            instruments.Ttft.Record(sample.TtftMs / 1000, labels);
            instruments.PredictedTtft.Record(sample.PredictedTtftMs / 1000, labels);
            instruments.PredictionError.Record(Math.Abs(sample.PredictedTtftMs - sample.TtftMs) / 1000, labels);
        }

        if (sample.CompletionTokens > 1 && sample.E2eMs > sample.TtftMs)
        {
            instruments.Tpot.Record((sample.E2eMs - sample.TtftMs) / (sample.CompletionTokens - 1) / 1000, labels);
            if (double.IsFinite(sample.PredictedTpotMs))
            {
                instruments.PredictedTpot.Record(sample.PredictedTpotMs / 1000, labels);
            }
        }
    }

    public void Dispose()
    {
        _current = null;
        instruments.Remove(this);
    }

    /// <summary>The labels of every per-worker series: the registered id, its model and its GPU.</summary>
    internal static KeyValuePair<string, object?>[] LabelsOf(WorkerRegistration registration) =>
    [
        new("worker", registration.WorkerId),
        new("model", registration.Model),
        new("gpu", registration.GpuProfile),
    ];

    /// <summary>A view and its labels, swapped together.</summary>
    internal sealed record Published(WorkerView View, KeyValuePair<string, object?>[] Labels);
}
