using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>What every OpenAI object carries: its id, its kind and when it was made.</summary>
internal abstract record OpenAiObjectDoc
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The kind: <c>chat.completion</c>, <c>text_completion</c>, <c>model</c>.</summary>
    [JsonPropertyName("object")]
    public required string Object { get; init; }

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("created")]
    public required long Created { get; init; }
}
