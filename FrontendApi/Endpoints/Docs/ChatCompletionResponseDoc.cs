using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>A chat completion as the worker answered it (the gateway relays the bytes; headers name the worker).</summary>
internal sealed record ChatCompletionResponseDoc
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary><c>chat.completion</c>.</summary>
    [JsonPropertyName("object")]
    public required string Object { get; init; }

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("created")]
    public required long Created { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("choices")]
    public required IReadOnlyList<ChatChoiceDoc> Choices { get; init; }

    [JsonPropertyName("usage")]
    public UsageDoc? Usage { get; init; }
}
