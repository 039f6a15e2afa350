using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Dio.FrontendApi.Inference;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>The body of POST /v1/chat/completions (OpenAI's chat completion request).</summary>
internal sealed record ChatCompletionRequestDoc : GenerationRequestDoc
{
    /// <summary>The conversation so far; the worker's chat template turns it into the prompt.</summary>
    [JsonPropertyName("messages")]
    [MinLength(1)]
    public required IReadOnlyList<ChatMessageDoc> Messages { get; init; }

    /// <summary>OpenAI's newer name for max_tokens; when both are given this one counts.</summary>
    [JsonPropertyName("max_completion_tokens")]
    [Range(1, InferenceRequest.MaxTokensLimit)]
    public int? MaxCompletionTokens { get; init; }
}
