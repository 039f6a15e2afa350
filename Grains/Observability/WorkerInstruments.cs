using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Dio.Grains.Observability;

/// <summary>
/// Per-worker metrics of this silo (meter <c>Dio.Workers</c>; labels <c>worker</c>, <c>model</c>, <c>gpu</c>, all from
/// the worker's registration, never from a client). Each worker grain activation owns a <see cref="WorkerMetrics"/>
/// and publishes its latest immutable view into it; the observable instruments read those views when Prometheus
/// scrapes, so a scrape never calls a grain or waits for one. A silo exports the workers whose grains it hosts, so
/// in a cluster each worker shows on the /metrics of the one silo that holds its activation.
/// </summary>
internal sealed class WorkerInstruments
{
    public const string MeterName = "Dio.Workers";

    private readonly ConcurrentDictionary<string, WorkerMetrics> _active = new(StringComparer.Ordinal);

    public WorkerInstruments(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("dio.worker.kv.blocks.used", () => Observe(static v => v.Telemetry is { } t ? UsedBlocks(t, v.Registration) : null),
            unit: "{block}", description: "KV blocks in use by the worker's latest engine reading (kv_cache_usage × total)");
        meter.CreateObservableGauge("dio.worker.kv.blocks.capacity", () => Observe(static v => v.Registration.NumGpuBlocks),
            unit: "{block}", description: "KV blocks the worker's vLLM allocated (num_gpu_blocks)");
        meter.CreateObservableGauge("dio.worker.requests.running", () => Observe(static v => v.Telemetry?.Running),
            unit: "{request}", description: "Sequences in the worker's running batch (latest reading)");
        meter.CreateObservableGauge("dio.worker.requests.waiting", () => Observe(static v => v.Telemetry?.Waiting),
            unit: "{request}", description: "Requests queued inside the worker's engine (latest reading)");
        meter.CreateObservableGauge("dio.worker.healthy", () => Observe(static v => v.Healthy ? 1 : 0),
            unit: "{worker}", description: "1 while the worker grain judges the worker healthy, else 0 (sums to the healthy workers)");
        meter.CreateObservableCounter("dio.worker.preemptions", () => Observe(static v => v.Telemetry?.PreemptionsTotal),
            unit: "{preemption}", description: "Preemptions the worker's engine reports (vLLM's own counter; resets when vLLM restarts)");

        Ttft = meter.CreateHistogram("dio.worker.ttft", unit: "s", description: "Measured time to first token of streamed answers, from dispatch",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Ttft });
        PredictedTtft = meter.CreateHistogram("dio.worker.predicted_ttft", unit: "s",
            description: "Time to first token the router predicted at dispatch (queue wait included), for the answers whose TTFT was measured",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Ttft });
        Tpot = meter.CreateHistogram("dio.worker.tpot", unit: "s", description: "Measured time per output token after the first, of streamed answers",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Tpot });
        PredictedTpot = meter.CreateHistogram("dio.worker.predicted_tpot", unit: "s",
            description: "Time per output token the router predicted at dispatch, for the answers whose TPOT was measured",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Tpot });
        PredictionError = meter.CreateHistogram("dio.worker.prediction_error", unit: "s", description: "|predicted − measured| time to first token",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Ttft });
    }

    internal Histogram<double> Ttft { get; }

    internal Histogram<double> PredictedTtft { get; }

    internal Histogram<double> Tpot { get; }

    internal Histogram<double> PredictedTpot { get; }

    internal Histogram<double> PredictionError { get; }

    /// <summary>A new activation's handle, on the board at once (it exports nothing until it publishes a view). It
    /// replaces what an earlier activation of the same worker left, which then cannot remove it.</summary>
    public WorkerMetrics Track(string workerId)
    {
        var metrics = new WorkerMetrics(this, workerId);
        _active[workerId] = metrics;
        return metrics;
    }

    internal void Remove(WorkerMetrics metrics) => _active.TryRemove(KeyValuePair.Create(metrics.WorkerId, metrics));

    internal static long UsedBlocks(WorkerTelemetry telemetry, WorkerRegistration registration) =>
        (long)Math.Round(Math.Clamp(telemetry.KvUsage, 0, 1) * registration.NumGpuBlocks);

    /// <summary>One measurement per published worker the reading applies to; runs on the scrape, never on a grain.</summary>
    private List<Measurement<long>> Observe(Func<WorkerView, long?> read)
    {
        var measurements = new List<Measurement<long>>(_active.Count);
        foreach (var metrics in _active.Values)
        {
            if (metrics.Current is { } current && read(current.View) is { } value)
            {
                measurements.Add(new Measurement<long>(value, current.Labels));
            }
        }

        return measurements;
    }
}
