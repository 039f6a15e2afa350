using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>Options of a streamed answer.</summary>
internal sealed record StreamOptionsDoc
{
    /// <summary>Send a last chunk with <c>usage</c> before <c>data: [DONE]</c>.</summary>
    [JsonPropertyName("include_usage")]
    public bool? IncludeUsage { get; init; }
}
