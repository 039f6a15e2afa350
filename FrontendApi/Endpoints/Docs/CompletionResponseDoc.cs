using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>A completion as the worker answered it.</summary>
internal sealed record CompletionResponseDoc
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary><c>text_completion</c>.</summary>
    [JsonPropertyName("object")]
    public required string Object { get; init; }

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("created")]
    public required long Created { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("choices")]
    public required IReadOnlyList<CompletionChoiceDoc> Choices { get; init; }

    [JsonPropertyName("usage")]
    public UsageDoc? Usage { get; init; }
}
