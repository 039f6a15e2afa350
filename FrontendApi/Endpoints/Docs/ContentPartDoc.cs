using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>One part of a message's content (OpenAI's content parts; the text parts count towards the prompt).</summary>
internal sealed record ContentPartDoc
{
    /// <summary>Part type, e.g. <c>text</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>The text of a <c>text</c> part.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }
}
