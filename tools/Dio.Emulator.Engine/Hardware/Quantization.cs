namespace Dio.Emulator.Engine.Hardware;

/// <summary>How the model's weights are stored on a GPU.</summary>
public enum Quantization
{
    /// <summary>16-bit weights (bf16, or fp16 where the GPU has no bf16).</summary>
    Bf16 = 0,

    /// <summary>AWQ INT4 linear layers (≈ 0.5 B/param + 3% scales), 16-bit embeddings and head: how an 8B model fits a T4.</summary>
    Awq = 1,
}
