using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>One choice of a completion (a batch prompt has n choices per prompt, indexed in order).</summary>
internal sealed record CompletionChoiceDoc
{
    [JsonPropertyName("index")]
    public required int Index { get; init; }

    [JsonPropertyName("text")]
    public required string Text { get; init; }

    /// <summary><c>stop</c> (a natural end or a stop sequence) or <c>length</c> (max_tokens reached).</summary>
    [JsonPropertyName("finish_reason")]
    public string? FinishReason { get; init; }
}
