namespace Dio.Emulator.Engine.Hardware;

/// <summary>
/// A decoder-only transformer by its architecture numbers (ALGORITHMS.md §4.3, appendix A): parameter counts,
/// weight bytes read per step and KV bytes per token follow from them.
/// </summary>
public sealed record ModelSpec(string Name, int Layers, int Hidden, int QueryHeads, int KvHeads, int HeadDim, int FfnHidden, int Vocab)
{
    /// <summary>Llama-3-8B (and 3.1-8B): the default model.</summary>
    public static readonly ModelSpec Llama3With8B = new("meta-llama/Meta-Llama-3-8B-Instruct", 32, 4096, 32, 8, 128, 14_336, 128_256);

    /// <summary>Linear-layer parameters: QKV, O, gate/up/down over every layer.</summary>
    public double LinearParameters =>
        (double)Layers * ((Hidden * ((QueryHeads * HeadDim) + (2.0 * KvHeads * HeadDim))) + ((double)QueryHeads * HeadDim * Hidden) + (3.0 * Hidden * FfnHidden));

    /// <summary>The output head (lm_head).</summary>
    public double HeadParameters => (double)Hidden * Vocab;

    public double EmbeddingParameters => (double)Hidden * Vocab;

    public double TotalParameters => LinearParameters + HeadParameters + EmbeddingParameters + (Layers * 2.0 * Hidden) + Hidden;

    /// <summary>κ: KV-cache bytes per token at 16-bit (K and V over every layer).</summary>
    public long KvBytesPerToken => 2L * Layers * KvHeads * HeadDim * 2;

    /// <summary>Weight bytes resident on the GPU.</summary>
    public double WeightBytes(Quantization quantization) => quantization == Quantization.Awq
        ? (LinearParameters * 0.5 * 1.03) + ((HeadParameters + EmbeddingParameters) * 2)
        : TotalParameters * 2;

    /// <summary>Weight bytes read by every forward step (the embedding is a gather, not a read of the table).</summary>
    public double WeightBytesReadPerStep(Quantization quantization) => quantization == Quantization.Awq
        ? (LinearParameters * 0.5 * 1.03) + (HeadParameters * 2)
        : (LinearParameters + HeadParameters) * 2;
}
