namespace Dio.Grains.Scheduling;

/// <summary>
/// Estimates prompt tokens from UTF-8 bytes (BPE ≈ 4 bytes per token), corrected online by the ratio seen in
/// <c>usage.prompt_tokens</c> (EMA weight 0.1, ALGORITHMS.md §2.1).
/// </summary>
/// <remarks>
/// Only prompts of at least <see cref="MinimumLearningBytes"/> teach the ratio: a chat template adds a fixed handful
/// of tokens, which dominates a short prompt ("hi" is 8 tokens) and would inflate a per-byte ratio that long
/// prompts, the ones that matter for memory and latency, then pay for (measured: 0.34 instead of 0.25 tokens/byte).
/// </remarks>
internal sealed class PromptTokenEstimator
{
    public const double InitialTokensPerByte = 0.25;
    public const int MinimumLearningBytes = 1024;
    private const double Weight = 0.1;

    public double TokensPerByte { get; private set; } = InitialTokensPerByte;

    public int Estimate(int promptBytes) => Math.Max(1, (int)Math.Ceiling(promptBytes * TokensPerByte));

    public void Observe(int promptBytes, int promptTokens)
    {
        if (promptBytes < MinimumLearningBytes || promptTokens <= 0)
        {
            return;
        }

        TokensPerByte = ((1 - Weight) * TokensPerByte) + (Weight * promptTokens / promptBytes);
    }
}
