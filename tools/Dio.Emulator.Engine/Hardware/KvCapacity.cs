namespace Dio.Emulator.Engine.Hardware;

/// <summary>
/// vLLM's memory profiling (ALGORITHMS.md §4.2): KV bytes = total · gpu_memory_utilization − weights − activation
/// peak − non-torch memory; blocks = ⌊KV bytes / (κ · block size)⌋. The activation peak is our fit to vllm#10517:
/// 0.03 GiB + 1.02e-4 GiB per token of max_num_batched_tokens; non-torch memory 0.35 GiB at TP1.
/// </summary>
public static class KvCapacity
{
    public const double DefaultMemoryUtilization = 0.9;
    public const int DefaultBlockSize = 16;
    private const double GiB = 1024.0 * 1024 * 1024;
    private const double NonTorchGiB = 0.35;

    public static double ActivationPeakGiB(int maxNumBatchedTokens) => 0.03 + (maxNumBatchedTokens * 1.02e-4);

    /// <summary>KV blocks vLLM allocates for <paramref name="model"/> on <paramref name="gpu"/>; 0 when the weights do not fit.</summary>
    public static int Blocks(GpuProfile gpu, ModelSpec model, double memoryUtilization = DefaultMemoryUtilization,
        int blockSize = DefaultBlockSize, int? maxNumBatchedTokens = null)
    {
        var kvGiB = (gpu.MemoryBytes / GiB * memoryUtilization) - (model.WeightBytes(gpu.Quantization) / GiB)
            - ActivationPeakGiB(maxNumBatchedTokens ?? gpu.MaxNumBatchedTokens) - NonTorchGiB;
        return kvGiB <= 0 ? 0 : (int)Math.Floor(kvGiB * GiB / (model.KvBytesPerToken * (double)blockSize));
    }
}
