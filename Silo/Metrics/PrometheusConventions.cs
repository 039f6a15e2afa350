using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Dio.Silo.Metrics;

/// <summary>
/// The view that makes everything on /metrics follow Prometheus' conventions (<c>promtool check metrics</c> passes,
/// tested): base units, a HELP line per metric, <c>_count</c> only on histograms. DIO's own instruments follow them by
/// construction; this fixes the instruments of others without losing what they measure.
/// </summary>
internal static class PrometheusConventions
{
    // The runtime's gauges named *.count would read as a histogram's _count series; renamed, otherwise as reported.
    private static readonly FrozenDictionary<string, string> Renamed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies.loaded",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers.active",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> PeerSiloOnly =
        new[] { "orleans-messaging-sent-messages-size", "orleans-messaging-received-messages-size" }.ToFrozenSet(StringComparer.Ordinal);

    public static MetricStreamConfiguration? View(Instrument instrument)
    {
        if (instrument.Meter.Name == "Microsoft.Orleans")
        {
            // Millisecond histograms are exported in seconds by OrleansSecondsBridge; the two memory gauges in MB are
            // the host's memory, which the runtime instrumentation reports in bytes for the process.
            if (OrleansSecondsBridge.IsMirrored(instrument) || instrument.Unit is "MB" or "MiB" or "MBy")
            {
                return MetricStreamConfiguration.Drop;
            }

            // Orleans gives its instruments no description, and Prometheus wants a HELP line for each metric.
            var description = string.IsNullOrEmpty(instrument.Description) ? $"Orleans' {instrument.Name}" : instrument.Description;

            // Its message-size histograms are tagged ConnectionDirection and MessageDirection, and Prometheus' label names
            // are snake_case. A view keeps tags but cannot rename them, so these keep only the peer silo (seen between silos).
            return PeerSiloOnly.Contains(instrument.Name)
                ? new MetricStreamConfiguration { Description = description, TagKeys = ["silo"] }
                : new MetricStreamConfiguration { Description = description };
        }

        return Renamed.TryGetValue(instrument.Name, out var name) ? new MetricStreamConfiguration { Name = name } : null;
    }
}
