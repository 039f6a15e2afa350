using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>What went wrong.</summary>
internal sealed record ErrorBodyDoc
{
    /// <summary>For a person.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }

    /// <summary><c>invalid_request_error</c> (fix the request), <c>server_overloaded</c> (retry after Retry-After) or <c>server_error</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>The offending field or header, when there is one.</summary>
    [JsonPropertyName("param")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]   // the gateway writes "param": null, as OpenAI does
    public string? Param { get; init; }

    /// <summary>For a program, e.g. <c>context_length_exceeded</c>, <c>model_not_found</c>, <c>overloaded</c>.</summary>
    [JsonPropertyName("code")]
    public required string Code { get; init; }
}
