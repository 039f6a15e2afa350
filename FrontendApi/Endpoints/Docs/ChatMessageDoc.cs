using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>One turn of the conversation.</summary>
internal sealed record ChatMessageDoc
{
    /// <summary>Who wrote it.</summary>
    [JsonPropertyName("role")]
    public required ChatRoleDoc Role { get; init; }

    /// <summary>The text, a list of content parts, or null (an assistant turn that only called tools).</summary>
    [JsonPropertyName("content")]
    [OneOf(typeof(string), typeof(ContentPartDoc[]))]
    public object? Content { get; init; }
}
