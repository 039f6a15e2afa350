using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Dio.Silo.Metrics;

/// <summary>
/// Serves <c>/metrics</c> in the Prometheus text format from System.Diagnostics.Metrics (no Prometheus exporter
/// package restores from our feed). Listens to every meter whose name starts with <c>Dio.</c>; counters become
/// <c>_total</c>, histograms get fixed millisecond buckets, dots become underscores.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    private static readonly double[] Buckets = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();

    public PrometheusMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Dio.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var group in _series.GroupBy(s => s.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var instrument = group.Key;
            var name = instrument.Name.Replace('.', '_');
            var histogram = instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);
            var counter = instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal)
                || instrument.GetType().Name.StartsWith("ObservableCounter", StringComparison.Ordinal);
            var exposed = counter ? name + "_total" : name;
            text.Append(CultureInfo.InvariantCulture, $"# HELP {exposed} {instrument.Description} ({instrument.Unit})\n");
            text.Append(CultureInfo.InvariantCulture, $"# TYPE {exposed} {(histogram ? "histogram" : counter ? "counter" : "gauge")}\n");
            foreach (var ((_, labels), series) in group.OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
            {
                series.Write(text, exposed, labels, histogram);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new StringBuilder();
        foreach (var (key, tag) in tags)
        {
            labels.Append(labels.Length == 0 ? string.Empty : ",").Append(key.Replace('.', '_')).Append("=\"")
                .Append(Convert.ToString(tag, CultureInfo.InvariantCulture)?.Replace("\"", "'", StringComparison.Ordinal)).Append('"');
        }

        var gauge = instrument.GetType().Name.StartsWith("Observable", StringComparison.Ordinal);
        _series.GetOrAdd((instrument, labels.ToString()), _ => new Series()).Add(value, gauge);
    }

    private sealed class Series
    {
        private readonly Lock _gate = new();
        private readonly long[] _buckets = new long[Buckets.Length];
        private double _sum;
        private long _count;

        public void Add(double value, bool replace)
        {
            lock (_gate)
            {
                _sum = replace ? value : _sum + value;
                _count++;
                for (var i = 0; i < Buckets.Length; i++)
                {
                    if (value <= Buckets[i])
                    {
                        _buckets[i]++;
                    }
                }
            }
        }

        public void Write(StringBuilder text, string name, string labels, bool histogram)
        {
            lock (_gate)
            {
                var braces = labels.Length == 0 ? string.Empty : $"{{{labels}}}";
                if (!histogram)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{name}{braces} {_sum}\n");
                    return;
                }

                var prefix = labels.Length == 0 ? string.Empty : labels + ",";
                for (var i = 0; i < Buckets.Length; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{prefix}le=\"{Buckets[i]}\"}} {_buckets[i]}\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{prefix}le=\"+Inf\"}} {_count}\n");
                text.Append(CultureInfo.InvariantCulture, $"{name}_sum{braces} {_sum}\n{name}_count{braces} {_count}\n");
            }
        }
    }
}
