namespace Dio.Grains.Policies;

/// <summary>vLLM's per-GPU scheduler defaults (ALGORITHMS.md §4.5), which a baseline reads from the worker's
/// runtime configuration in its own deployment: GPUs of 70 GiB or more other than the A100 budget 8192 tokens per
/// step, every other GPU 2048.</summary>
internal static class VllmDefaults
{
    public static int MaxNumBatchedTokens(string gpuProfile) =>
        gpuProfile.StartsWith("H100", StringComparison.OrdinalIgnoreCase) || gpuProfile.StartsWith("H200", StringComparison.OrdinalIgnoreCase)
            ? 8192
            : 2048;
}
