using Dio.Emulator.Engine.Hardware;
using Dio.Emulator.Engine.Timing;

namespace Dio.Emulator.Engine.Engine;

/// <summary>One emulated vLLM server: GPU, model and the vLLM settings that matter to routing.</summary>
public sealed record EngineOptions(GpuProfile Gpu)
{
    public ModelSpec Model { get; init; } = ModelSpec.Llama3With8B;

    public int MaxModelLen { get; init; } = 8192;

    public int BlockSize { get; init; } = KvCapacity.DefaultBlockSize;

    public double MemoryUtilization { get; init; } = KvCapacity.DefaultMemoryUtilization;

    /// <summary>Overrides the profiled KV capacity (tests build tiny engines with it).</summary>
    public int? NumGpuBlocks { get; init; }

    public int? MaxNumBatchedTokens { get; init; }

    public int? MaxNumSeqs { get; init; }

    /// <summary>Reuse computed prompt blocks by their hashes (vLLM V1's automatic prefix caching).</summary>
    public bool PrefixCaching { get; init; }

    /// <summary>Tokens one prefix hash stands for (the Mooncake trace hashes 512-token blocks).</summary>
    public int PrefixHashTokens { get; init; } = 512;

    public int Seed { get; init; } = 1;

    public double NoiseSigma { get; init; } = 0.03;

    /// <summary>Multiplies every step time: the sensitivity runs scale GPUs whose profile no measurement validates.</summary>
    public double SpeedScale { get; init; } = 1;

    /// <summary>Thermal drift start (requests admitted), or null for none.</summary>
    public int? DriftStartRequest { get; init; }

    public int ResolvedMaxNumBatchedTokens => MaxNumBatchedTokens ?? Gpu.MaxNumBatchedTokens;

    public int ResolvedMaxNumSeqs => MaxNumSeqs ?? Gpu.MaxNumSeqs;

    public int ResolvedNumGpuBlocks =>
        NumGpuBlocks ?? KvCapacity.Blocks(Gpu, Model, MemoryUtilization, BlockSize, ResolvedMaxNumBatchedTokens);

    public SpeedVariation CreateVariation() =>
        new(Seed, NoiseSigma) { DriftStartRequest = DriftStartRequest ?? int.MaxValue, Scale = SpeedScale };
}
