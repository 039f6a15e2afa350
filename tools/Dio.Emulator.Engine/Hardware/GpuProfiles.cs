using System.Collections.Frozen;

namespace Dio.Emulator.Engine.Hardware;

/// <summary>
/// The GPUs of ALGORITHMS.md §4.1. vLLM's defaults (§4.5): GPUs of 70 GiB or more other than the A100 budget 8192
/// tokens and 1024 sequences per step, every other GPU 2048 and 256. The T4 has no bf16 and no room for 16-bit 8B
/// weights, so it serves the AWQ model. The achieved fractions (η_w of bandwidth, η_pf of peak FLOPS, on the step
/// model's own FLOP and byte counts) come from published measurements; docs/emulator-calibration.md lists each with
/// its conditions and says which points are validated and which are roofline only.
/// </summary>
public static class GpuProfiles
{
    /// <summary>Roofline only for prefill: η_pf 0.25 is cuBLAS fp16's sustained 24 of 65 TFLOPS at the 70 W cap
    /// (NVIDIA forum 264462) × the end-to-end/GEMM ratio seen on A100; vLLM's AWQ path dequantises to fp16 matmul for
    /// batches ≥ 256 tokens. η_w 0.42 from AutoAWQ's T4 decode of Mistral-7B-AWQ, 33–35 tok/s (AutoAWQ PR #92, a proxy).</summary>
    public static readonly GpuProfile T4 = new("T4", 15_360, 65, 320, 0.42, 0.25, 2048, 256, Quantization.Awq);

    /// <summary>Roofline only: η_pf 0.32 is sustained bf16 matmul (55–59 of 121 TFLOPS, zzc0721/torch-performance-test-data
    /// #120) × the A100's end-to-end/GEMM ratio; η_w 0.75 from a 1.5B-model proxy (turing-engine, 75 tok/s at batch 1).</summary>
    public static readonly GpuProfile L4 = new("L4", 23_034, 121, 300, 0.75, 0.32, 2048, 256, Quantization.Bf16);

    /// <summary>Roofline only (no published anchor found).</summary>
    public static readonly GpuProfile A10G = new("A10G", 23_028, 70, 600, 0.72, 0.50, 2048, 256, Quantization.Bf16);

    /// <summary>η_w validated: 75 tok/s single stream, vLLM 0.23, 1024/128 (johnmusgrave.com); η_pf as the A100-80GB.</summary>
    public static readonly GpuProfile A100With40GB = new("A100-40GB", 40_960, 312, 1555, 0.73, 0.52, 2048, 256, Quantization.Bf16);

    /// <summary>Validated: a 10-prompt, 1,369-token batched prefill answered in 126.9 ms and 11.5–12.0 ms per step at
    /// batch 10 (LambdaLabsML/vllm-benchmark, Llama-3-8B-Instruct bf16, results/prompt_10/1xA100-80GB-SXM).</summary>
    public static readonly GpuProfile A100With80GB = new("A100-80GB", 81_920, 312, 2039, 0.73, 0.52, 2048, 256, Quantization.Bf16);

    /// <summary>Validated: the same batch in 62.4 ms (LambdaLabsML/vllm-benchmark, 1xH100-80GB-SXM; the old η_pf 0.55
    /// made it 36 ms, 43% too fast) and 6.48 ms TPOT at C=1 (vLLM 0.21, yobitelcomm concurrency sweep).</summary>
    public static readonly GpuProfile H100 = new("H100", 81_559, 989.5, 3350, 0.73, 0.35, 8192, 1024, Quantization.Bf16);

    /// <summary>Roofline only: the H100's fractions on the H200's bandwidth and memory.</summary>
    public static readonly GpuProfile H200 = new("H200", 143_771, 989, 4800, 0.73, 0.35, 8192, 1024, Quantization.Bf16);

    /// <summary>Profiles whose step times no published measurement validates: the sensitivity runs scale these.</summary>
    public static readonly IReadOnlyList<GpuProfile> Unvalidated = [T4, L4];

    public static readonly IReadOnlyList<GpuProfile> All = [T4, L4, A10G, A100With40GB, A100With80GB, H100, H200];

    private static readonly FrozenDictionary<string, GpuProfile> ByName =
        All.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The profile of that name (case-insensitive), or null.</summary>
    public static GpuProfile? Find(string name) => ByName.GetValueOrDefault(name);
}
