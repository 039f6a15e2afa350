using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dio.FrontendApi.Errors;

/// <summary>
/// A worker's own refusal (4xx), turned into OpenAI's error shape so that SDKs show its message. vLLM answers
/// <c>{"error":{…}}</c> today, <c>{"object":"error","message",…}</c> before 0.11 (and SGLang still), and its API-key
/// check <c>{"error":"Unauthorized"}</c>; a proxy in between may answer plain text.
/// </summary>
public static class WorkerErrors
{
    /// <summary>Most of a worker's error body that is read; the rest is not needed to show its message.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The body to send the client: the worker's own when it is already OpenAI-shaped, else rebuilt.</summary>
    public static byte[] ToOpenAiShape(ReadOnlySpan<byte> body, int status)
    {
        JsonNode? node = null;
        try
        {
            node = JsonNode.Parse(body.ToArray());
        }
        catch (JsonException)
        {
        }

        var error = (node as JsonObject)?["error"];
        if (error is JsonObject nested && nested["message"] is JsonValue)
        {
            return body.ToArray();
        }

        string message;
        string? type = null;
        string? param = null;
        switch (node)
        {
            case JsonObject flat when flat["message"] is JsonValue m && m.TryGetValue<string>(out var text):
                message = text;
                type = flat["type"] is JsonValue t && t.TryGetValue<string>(out var typeName) ? typeName : null;
                param = flat["param"] is JsonValue p && p.TryGetValue<string>(out var paramName) ? paramName : null;
                break;
            case JsonObject when error is JsonValue e && e.TryGetValue<string>(out var text):
                message = text;
                break;
            default:
                var raw = Encoding.UTF8.GetString(body).Trim();
                message = raw.Length == 0 ? $"The worker refused the request (HTTP {status})." : raw[..Math.Min(raw.Length, 1024)];
                break;
        }

        type ??= status switch
        {
            401 => "authentication_error",
            403 => "permission_error",
            404 => "not_found_error",
            429 => "rate_limit_error",
            _ => "invalid_request_error",
        };
        var envelope = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = message,
                ["type"] = type,
                ["param"] = param,
                ["code"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }
}
