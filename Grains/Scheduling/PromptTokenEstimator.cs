namespace Dio.Grains.Scheduling;

/// <summary>
/// Estimates prompt tokens from UTF-8 bytes (BPE ≈ 4 bytes per token), corrected online by the ratio seen in
/// <c>usage.prompt_tokens</c> (EMA weight 0.1, ALGORITHMS.md §2.1). The ratio also absorbs the chat template.
/// </summary>
internal sealed class PromptTokenEstimator
{
    public const double InitialTokensPerByte = 0.25;
    private const double Weight = 0.1;

    public double TokensPerByte { get; private set; } = InitialTokensPerByte;

    public int Estimate(int promptBytes) => Math.Max(1, (int)Math.Ceiling(promptBytes * TokensPerByte));

    public void Observe(int promptBytes, int promptTokens)
    {
        if (promptBytes <= 0 || promptTokens <= 0)
        {
            return;
        }

        TokensPerByte = ((1 - Weight) * TokensPerByte) + (Weight * promptTokens / promptBytes);
    }
}
