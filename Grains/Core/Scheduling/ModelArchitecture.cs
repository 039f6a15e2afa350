namespace Dio.Grains.Scheduling;

/// <summary>
/// The architecture numbers that size a model's KV cache: κ = 2 · layers · KV heads · head dim · bytes per value
/// (K and V; ALGORITHMS.md §2.5). Used to turn a memory figure into KV blocks when a worker cannot report
/// <c>num_gpu_blocks</c>.
/// </summary>
public sealed record ModelArchitecture(string Name, int Layers, int KvHeads, int HeadDim, int KvBytesPerValue = 2)
{
    /// <summary>KV-cache bytes one token occupies.</summary>
    public long KvBytesPerToken => 2L * Layers * KvHeads * HeadDim * KvBytesPerValue;

    /// <summary>KV blocks that fit in <paramref name="kvBytes"/> with vLLM's paging.</summary>
    public int BlocksIn(long kvBytes, int blockSize) => (int)(kvBytes / (KvBytesPerToken * blockSize));
}
