using System.Collections.Frozen;

namespace Dio.Emulator.Engine.Hardware;

/// <summary>
/// The GPUs of ALGORITHMS.md §4.1 with their sources there. vLLM's defaults (§4.5): GPUs of 70 GiB or more other
/// than the A100 budget 8192 tokens and 1024 sequences per step, every other GPU 2048 and 256. The T4 has no bf16
/// and no room for 16-bit 8B weights, so it serves the AWQ model.
/// </summary>
public static class GpuProfiles
{
    public static readonly GpuProfile T4 = new("T4", 15_360, 65, 320, 0.55, 0.40, 2048, 256, Quantization.Awq);
    public static readonly GpuProfile L4 = new("L4", 23_034, 121, 300, 0.72, 0.50, 2048, 256, Quantization.Bf16);
    public static readonly GpuProfile A10G = new("A10G", 23_028, 70, 600, 0.72, 0.50, 2048, 256, Quantization.Bf16);
    public static readonly GpuProfile A100With40GB = new("A100-40GB", 40_960, 312, 1555, 0.72, 0.60, 2048, 256, Quantization.Bf16);
    public static readonly GpuProfile A100With80GB = new("A100-80GB", 81_920, 312, 2039, 0.72, 0.60, 2048, 256, Quantization.Bf16);
    public static readonly GpuProfile H100 = new("H100", 81_559, 989.5, 3350, 0.72, 0.55, 8192, 1024, Quantization.Bf16);
    public static readonly GpuProfile H200 = new("H200", 143_771, 989, 4800, 0.72, 0.55, 8192, 1024, Quantization.Bf16);

    public static readonly IReadOnlyList<GpuProfile> All = [T4, L4, A10G, A100With40GB, A100With80GB, H100, H200];

    private static readonly FrozenDictionary<string, GpuProfile> ByName =
        All.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The profile of that name (case-insensitive), or null.</summary>
    public static GpuProfile? Find(string name) => ByName.GetValueOrDefault(name);
}
