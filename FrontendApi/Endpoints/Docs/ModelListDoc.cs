using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>GET /v1/models: the models at least one healthy worker serves.</summary>
internal sealed record ModelListDoc
{
    /// <summary><c>list</c>.</summary>
    [JsonPropertyName("object")]
    public required string Object { get; init; }

    [JsonPropertyName("data")]
    public required IReadOnlyList<ModelDoc> Data { get; init; }
}
