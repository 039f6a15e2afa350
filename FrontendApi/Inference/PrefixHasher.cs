namespace Dio.FrontendApi.Inference;

/// <summary>
/// Approximate prefix-cache keys without a tokenizer: the prompt text in 64-byte chunks (≈ one 16-token KV block
/// at BPE's ≈ 4 bytes per token), each key the FNV-1a hash of everything up to and including its chunk, so equal
/// keys mean equal prefixes. At most 64 blocks: enough to tell shared system prompts and conversations apart.
/// </summary>
internal static class PrefixHasher
{
    public const int ChunkBytes = 64;
    public const int MaxBlocks = 64;

    public static ulong[] Hash(ReadOnlySpan<byte> prompt)
    {
        var blocks = Math.Min(MaxBlocks, prompt.Length / ChunkBytes);
        var keys = new ulong[blocks];
        var hash = 14695981039346656037UL;
        for (var b = 0; b < blocks; b++)
        {
            foreach (var value in prompt.Slice(b * ChunkBytes, ChunkBytes))
            {
                hash = (hash ^ value) * 1099511628211UL;
            }

            keys[b] = hash;
        }

        return keys;
    }
}
