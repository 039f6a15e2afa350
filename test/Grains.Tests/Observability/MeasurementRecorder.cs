using System.Diagnostics.Metrics;

namespace Dio.Grains.Tests.Observability;

/// <summary>
/// Listens to the instruments of one meter factory only (other tests in this process have their own), and keeps
/// each measurement with its tags; with <see cref="Keep"/> off it only counts them, allocating nothing, so that a
/// test can measure what recording itself allocates.
/// </summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public MeasurementRecorder(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => On(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => On(instrument, value, tags));
        _listener.Start();
    }

    public bool Keep { get; set; } = true;

    public long Count { get; private set; }

    public List<Measured> Measurements { get; } = [];

    /// <summary>Runs every observable instrument's callback once, as a scrape would.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    /// <summary>The measurements of one instrument.</summary>
    public List<Measured> Of(string instrument) => [.. Measurements.Where(m => m.Instrument == instrument)];

    public void Dispose() => _listener.Dispose();

    private void On(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Count++;
        if (Keep)
        {
            var copied = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copied[tag.Key] = tag.Value;
            }

            Measurements.Add(new Measured(instrument.Name, instrument.Unit, value, copied));
        }
    }

    internal sealed record Measured(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags);
}
