namespace Dio.Bench.Tests;

/// <summary>The real traces, read in place from ../shared/traces (never copied into the repository).</summary>
internal static class SharedTraces
{
    public static string Folder { get; } = Find();

    public static string Azure => Path.Combine(Folder, "AzureLLMInferenceTrace_code.csv");

    public static string MooncakeConversation => Path.Combine(Folder, "mooncake_conversation_trace.jsonl");

    public static string ShareGpt => Path.Combine(Folder, "sharegpt_8k_filtered_stats_llama2_tokenizer.csv");

    public static string Arxiv => Path.Combine(Folder, "arxiv_summarization_stats_llama2_tokenizer_filtered_v2.csv");

    private static string Find()
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

        throw new DirectoryNotFoundException("shared/traces not found beside the repository");
    }
}
