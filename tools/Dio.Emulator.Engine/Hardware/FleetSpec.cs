namespace Dio.Emulator.Engine.Hardware;

/// <summary>
/// A fleet by name — <c>hetero-8</c> = 2×A100-80GB + 4×L4 + 2×T4, <c>hetero-32</c> = 8 each of H100, A100-80GB,
/// L4 and T4, <c>homo-8</c> = 8×A100-80GB — or by a spec such as <c>2xA100-80GB,4xL4</c>.
/// </summary>
public static class FleetSpec
{
    private static readonly Dictionary<string, string> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hetero-8"] = "2xA100-80GB,4xL4,2xT4",
        ["hetero-32"] = "8xH100,8xA100-80GB,8xL4,8xT4",
        ["homo-8"] = "8xA100-80GB",
    };

    public static IReadOnlyList<string> Names => [.. Named.Keys];

    /// <summary>The GPUs of the cluster, in order; throws <see cref="FormatException"/> with what was wrong.</summary>
    public static IReadOnlyList<GpuProfile> Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var expanded = Named.GetValueOrDefault(spec.Trim(), spec);
        var gpus = new List<GpuProfile>();
        foreach (var part in expanded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var x = part.IndexOf('x', StringComparison.OrdinalIgnoreCase);
            var count = 1;
            var name = part;
            if (x > 0 && int.TryParse(part[..x], out var parsed))
            {
                count = parsed;
                name = part[(x + 1)..];
            }

            var gpu = GpuProfiles.Find(name) ?? throw new FormatException(
                $"unknown cluster or GPU '{part}'; clusters: {string.Join(", ", Names)}; GPUs: {string.Join(", ", GpuProfiles.All.Select(g => g.Name))}");
            if (count is < 1 or > 4096)
            {
                throw new FormatException($"GPU count in '{part}' must be between 1 and 4096");
            }

            gpus.AddRange(Enumerable.Repeat(gpu, count));
        }

        return gpus.Count > 0 ? gpus : throw new FormatException($"cluster '{spec}' has no GPU");
    }
}
