using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>One served model; its id is the name to put in <c>model</c>.</summary>
internal sealed record ModelDoc : OpenAiObjectDoc
{
    [JsonPropertyName("owned_by")]
    public required string OwnedBy { get; init; }
}
