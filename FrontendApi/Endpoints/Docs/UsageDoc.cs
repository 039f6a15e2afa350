using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>Tokens the worker counted (the router learns output lengths from them).</summary>
internal sealed record UsageDoc
{
    [JsonPropertyName("prompt_tokens")]
    public required int PromptTokens { get; init; }

    [JsonPropertyName("completion_tokens")]
    public required int CompletionTokens { get; init; }

    [JsonPropertyName("total_tokens")]
    public required int TotalTokens { get; init; }
}
