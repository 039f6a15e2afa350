using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>One served model.</summary>
internal sealed record ModelDoc
{
    /// <summary>The name to put in <c>model</c>.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary><c>model</c>.</summary>
    [JsonPropertyName("object")]
    public required string Object { get; init; }

    [JsonPropertyName("created")]
    public required long Created { get; init; }

    [JsonPropertyName("owned_by")]
    public required string OwnedBy { get; init; }
}
