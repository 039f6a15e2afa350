using System.Diagnostics.Metrics;

namespace Dio.Silo.Metrics;

/// <summary>
/// Orleans records its latencies in milliseconds, and Prometheus' base unit is the second (<c>promtool check
/// metrics</c> rejects <c>_milliseconds</c>; dashboards mixing units mislead). An OpenTelemetry view can rename an
/// instrument but cannot rescale it, so this listener re-records every Orleans millisecond histogram in seconds on
/// meter <c>Dio.Orleans</c>, same name and tags, and <see cref="PrometheusConventions"/> drops the originals. Each
/// measurement is passed on as it comes (its tags as a span), allocating nothing on Orleans' call path.
/// </summary>
internal sealed class OrleansSecondsBridge : IHostedService, IDisposable
{
    public const string MeterName = "Dio.Orleans";
    private const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>A grain call inside one process takes tens of µs, storage and directory round trips ms to seconds;
    /// Orleans' own calls time out at 30 s (DIO's at 60 s). 50 µs to 60 s.</summary>
    private static readonly IReadOnlyList<double> Buckets =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Meter _meter;
    private readonly MeterListener _listener = new();

    public OrleansSecondsBridge(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (IsMirrored(instrument))
            {
                var mirror = _meter.CreateHistogram(instrument.Name, unit: "s", description: $"Orleans' {instrument.Name}, in seconds",
                    tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
                listener.EnableMeasurementEvents(instrument, mirror);
            }
        };
        _listener.SetMeasurementEventCallback<double>(static (_, ms, tags, mirror) => ((Histogram<double>)mirror!).Record(ms / 1000, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, ms, tags, mirror) => ((Histogram<double>)mirror!).Record(ms / 1000.0, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, ms, tags, mirror) => ((Histogram<double>)mirror!).Record(ms / 1000.0, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, ms, tags, mirror) => ((Histogram<double>)mirror!).Record(ms / 1000.0, tags));
    }

    /// <summary>An Orleans histogram in milliseconds: exported through its mirror, never itself.</summary>
    public static bool IsMirrored(Instrument instrument) =>
        instrument.Meter.Name == OrleansMeter && instrument.Unit == "ms" && instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();   // publishes the instruments Orleans created already, then each new one
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
