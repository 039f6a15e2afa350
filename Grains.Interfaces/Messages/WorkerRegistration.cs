namespace Dio.Grains;

/// <summary>What a worker (one vLLM endpoint, usually behind its sidecar) tells the silo about itself.</summary>
/// <param name="WorkerId">Stable id, unique in the fleet.</param>
/// <param name="Endpoint">Base URL requests are forwarded to (the sidecar's when it has one).</param>
/// <param name="Model">Model name as vLLM serves it; workers of one model form one routing pool.</param>
/// <param name="GpuProfile">GPU name, e.g. <c>A100-80GB</c> or <c>L4</c>; informational, never used as a speed prior.</param>
/// <param name="MaxModelLen">vLLM's <c>max_model_len</c>: prompt plus completion tokens may not exceed it.</param>
/// <param name="NumGpuBlocks">KV blocks vLLM allocated (<c>cache_config_info.num_gpu_blocks</c>).</param>
/// <param name="BlockSize">Tokens per KV block (<c>cache_config_info.block_size</c>, vLLM default 16).</param>
/// <param name="MaxNumSeqs">vLLM's <c>max_num_seqs</c>: most sequences in one batch.</param>
/// <param name="Tier">Capability tier, DIO's free label; <c>large</c> and <c>small</c> carry meaning (ALGORITHMS.md §1.5).</param>
[GenerateSerializer, Immutable, Alias("dio.worker-registration")]
public sealed record WorkerRegistration(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] string Endpoint,
    [property: Id(2)] string Model,
    [property: Id(3)] string GpuProfile,
    [property: Id(4)] int MaxModelLen,
    [property: Id(5)] int NumGpuBlocks,
    [property: Id(6)] int BlockSize,
    [property: Id(7)] int MaxNumSeqs,
    [property: Id(8)] string Tier)
{
    /// <summary>KV capacity in tokens: blocks × block size.</summary>
    public long KvCapacityTokens => (long)NumGpuBlocks * BlockSize;
}
