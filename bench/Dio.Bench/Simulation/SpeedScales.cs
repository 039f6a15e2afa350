using System.Globalization;
using Dio.Emulator.Engine.Hardware;

namespace Dio.Bench.Simulation;

/// <summary><c>--speed-scale T4=1.5,L4=1.5</c>: step-time factors per GPU profile for the sensitivity runs.</summary>
public static class SpeedScales
{
    public static IReadOnlyDictionary<string, double> Parse(string? list)
    {
        var scales = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || GpuProfiles.Find(parts[0]) is not { } gpu
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) || !(factor > 0) || !double.IsFinite(factor))
            {
                throw new FormatException($"--speed-scale wants GPU=FACTOR with a known GPU and a positive factor, got '{item}'");
            }

            scales[gpu.Name] = factor;
        }

        return scales;
    }

    /// <summary>Every unvalidated profile (<see cref="GpuProfiles.Unvalidated"/>) scaled by <paramref name="factor"/>.</summary>
    public static IReadOnlyDictionary<string, double> Unvalidated(double factor) =>
        GpuProfiles.Unvalidated.ToDictionary(g => g.Name, _ => factor, StringComparer.OrdinalIgnoreCase);
}
