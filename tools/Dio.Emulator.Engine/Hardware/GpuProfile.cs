namespace Dio.Emulator.Engine.Hardware;

/// <summary>
/// One GPU as the roofline model sees it (ALGORITHMS.md §4.1): usable memory as nvidia-smi reports it, dense
/// 16-bit tensor throughput, memory bandwidth, the achieved fractions of each, and vLLM's per-GPU batch defaults.
/// </summary>
/// <param name="Name">Profile name, e.g. <c>A100-80GB</c>.</param>
/// <param name="MemoryMiB">Total memory nvidia-smi reports; vLLM's gpu_memory_utilization applies to it.</param>
/// <param name="PeakTflops">Dense bf16/fp16 tensor TFLOPS.</param>
/// <param name="BandwidthGBs">Memory bandwidth, GB/s.</param>
/// <param name="MemoryEfficiency">η_w: achieved fraction of bandwidth for weight and KV reads.</param>
/// <param name="PrefillEfficiency">η_pf: achieved fraction of peak FLOPS.</param>
/// <param name="MaxNumBatchedTokens">vLLM's default token budget per step on this GPU.</param>
/// <param name="MaxNumSeqs">vLLM's default most sequences per batch on this GPU.</param>
/// <param name="Quantization">How an 8B model is served on it.</param>
public sealed record GpuProfile(
    string Name,
    double MemoryMiB,
    double PeakTflops,
    double BandwidthGBs,
    double MemoryEfficiency,
    double PrefillEfficiency,
    int MaxNumBatchedTokens,
    int MaxNumSeqs,
    Quantization Quantization)
{
    public double MemoryBytes => MemoryMiB * 1024 * 1024;

    public double PeakFlops => PeakTflops * 1e12;

    public double BandwidthBytesPerSecond => BandwidthGBs * 1e9;
}
