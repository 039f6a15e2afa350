using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Dio.FrontendApi.Inference;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>The body of POST /v1/completions (OpenAI's legacy completion request, as vLLM serves it).</summary>
internal sealed record CompletionRequestDoc : GenerationRequestDoc
{
    /// <summary>A string, a batch of strings (up to 2,048, each its own vLLM request, all admitted at once), a list of token
    /// ids, or a batch of lists of token ids (token ids are counted exactly).</summary>
    [JsonPropertyName("prompt")]
    [OneOf(typeof(string), typeof(string[]), typeof(int[]), typeof(int[][]))]
    public required object Prompt { get; init; }

    /// <summary>Candidates generated per prompt, the best n returned; at least n.</summary>
    [JsonPropertyName("best_of")]
    [Range(1, InferenceRequest.MaxBestOf)]
    public int? BestOf { get; init; }
}
