using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>A completion or chat completion as the worker answered it: the model, its choices, the token counts.</summary>
internal abstract record AnswerDoc<TChoice> : OpenAiObjectDoc
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("choices")]
    public required IReadOnlyList<TChoice> Choices { get; init; }

    [JsonPropertyName("usage")]
    public UsageDoc? Usage { get; init; }
}
