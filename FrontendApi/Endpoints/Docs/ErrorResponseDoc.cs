using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>Every error the gateway answers, in OpenAI's shape, so OpenAI's client libraries surface the message.</summary>
internal sealed record ErrorResponseDoc
{
    [JsonPropertyName("error")]
    public required ErrorBodyDoc Error { get; init; }
}
