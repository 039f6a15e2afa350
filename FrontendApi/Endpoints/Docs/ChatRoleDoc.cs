using System.Text.Json.Serialization;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>Who wrote a chat message (the roles the gateway accepts).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChatRoleDoc>))]
internal enum ChatRoleDoc
{
    [JsonStringEnumMemberName("system")] System,
    [JsonStringEnumMemberName("developer")] Developer,
    [JsonStringEnumMemberName("user")] User,
    [JsonStringEnumMemberName("assistant")] Assistant,
    [JsonStringEnumMemberName("tool")] Tool,
    [JsonStringEnumMemberName("function")] Function,
}
