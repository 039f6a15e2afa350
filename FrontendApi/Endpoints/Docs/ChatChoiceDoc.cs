using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>One choice of a chat completion.</summary>
internal sealed record ChatChoiceDoc
{
    [JsonPropertyName("index")]
    public required int Index { get; init; }

    /// <summary>The assistant's reply.</summary>
    [JsonPropertyName("message")]
    public required ChatMessageDoc Message { get; init; }

    /// <summary><c>stop</c> (a natural end or a stop sequence) or <c>length</c> (max_tokens reached).</summary>
    [JsonPropertyName("finish_reason")]
    public string? FinishReason { get; init; }
}
