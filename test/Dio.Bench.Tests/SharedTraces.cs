namespace Dio.Bench.Tests;

/// <summary>
/// The real traces, read in place from shared/traces beside the repository (never copied into it: the developers'
/// rule). A clone on its own has no shared/, so the tests that need a trace are skipped there with the reason;
/// CI, which has shared/, fails on any skipped test, so they always run where it counts.
/// </summary>
internal static class SharedTraces
{
    public const string SkipReason = "needs the real request traces in shared/traces beside the repository (CI has them; a lone clone does not)";

    /// <summary>The folder, or null when no shared/traces is found above the test binaries.</summary>
    public static string? Folder { get; } = Find();

    public static string Azure => Path.Combine(Required, "AzureLLMInferenceTrace_code.csv");

    public static string MooncakeConversation => Path.Combine(Required, "mooncake_conversation_trace.jsonl");

    public static string ShareGpt => Path.Combine(Required, "sharegpt_8k_filtered_stats_llama2_tokenizer.csv");

    public static string Arxiv => Path.Combine(Required, "arxiv_summarization_stats_llama2_tokenizer_filtered_v2.csv");

    private static string Required => Folder ?? throw new DirectoryNotFoundException($"shared/traces not found: this test {SkipReason}");

    private static string? Find()
    {
        // The repository sits beside shared/ (…/main and …/shared); walk up from the test binaries to find it.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "traces");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that reads a real trace: skipped, with the reason, where shared/traces is absent.</summary>
public sealed class TraceFactAttribute : FactAttribute
{
    public TraceFactAttribute()
    {
        if (SharedTraces.Folder is null)
        {
            Skip = SharedTraces.SkipReason;
        }
    }
}

/// <summary>A theory that reads a real trace: skipped, with the reason, where shared/traces is absent.</summary>
public sealed class TraceTheoryAttribute : TheoryAttribute
{
    public TraceTheoryAttribute()
    {
        if (SharedTraces.Folder is null)
        {
            Skip = SharedTraces.SkipReason;
        }
    }
}
