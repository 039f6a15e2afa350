using System.Text;
using System.Text.Json.Nodes;

namespace Dio.FrontendApi.Inference;

/// <summary>
/// A validated OpenAI completion or chat request: what routing needs from it, and the body to forward. Unknown
/// fields pass through untouched (vLLM's extensions); known fields must have the type and range OpenAI documents.
/// </summary>
internal sealed class InferenceRequest
{
    public const int MaxTokensLimit = 1_000_000;
    private static readonly HashSet<string> Roles = ["system", "user", "assistant", "tool", "developer", "function"];

    private InferenceRequest(JsonObject body, string model, int promptBytes, int promptTokens, int maxTokens, bool stream,
        bool includeUsage, ulong[] prefixBlocks)
    {
        Body = body;
        Model = model;
        PromptBytes = promptBytes;
        PromptTokens = promptTokens;
        MaxTokens = maxTokens;
        Stream = stream;
        IncludeUsage = includeUsage;
        PrefixBlocks = prefixBlocks;
    }

    public JsonObject Body { get; }

    public string Model { get; }

    /// <summary>UTF-8 bytes of the prompt text (the router turns them into an estimate of tokens).</summary>
    public int PromptBytes { get; }

    /// <summary>Exact prompt tokens when the client sent token ids; 0 otherwise.</summary>
    public int PromptTokens { get; }

    /// <summary>max_tokens (or max_completion_tokens); 0 when absent.</summary>
    public int MaxTokens { get; }

    public bool Stream { get; }

    /// <summary>The client asked for the usage chunk (stream_options.include_usage).</summary>
    public bool IncludeUsage { get; }

    public ulong[] PrefixBlocks { get; }

    /// <summary>Validates a parsed body; null and an error (message, offending parameter) when it is not acceptable.</summary>
    public static InferenceRequest? TryCreate(JsonNode? node, bool chat, out string? error, out string? param)
    {
        error = null;
        param = null;
        if (node is not JsonObject body)
        {
            (error, param) = ("The request body must be a JSON object.", null);
            return null;
        }

        if (!TryString(body, "model", required: true, out var model, ref error, ref param) || model!.Length > 256)
        {
            (error, param) = (error ?? "'model' must be at most 256 characters.", "model");
            return null;
        }

        var prompt = new StringBuilder();
        var promptTokens = 0;
        if (!(chat ? TryMessages(body, prompt, ref error, ref param) : TryPrompt(body, prompt, ref promptTokens, ref error, ref param)))
        {
            return null;
        }

        var maxTokens = 0;
        foreach (var name in (string[])["max_tokens", "max_completion_tokens"])
        {
            if (!TryInt(body, name, 1, MaxTokensLimit, out var value, ref error, ref param))
            {
                return null;
            }

            maxTokens = value ?? maxTokens;
        }

        if (!TryBool(body, "stream", out var stream, ref error, ref param)
            || !TryNumber(body, "temperature", 0, 2, ref error, ref param) || !TryNumber(body, "top_p", 0, 1, ref error, ref param)
            || !TryNumber(body, "presence_penalty", -2, 2, ref error, ref param) || !TryNumber(body, "frequency_penalty", -2, 2, ref error, ref param)
            || !TryInt(body, "n", 1, 16, out _, ref error, ref param) || !TryStop(body, ref error, ref param))
        {
            return null;
        }

        var includeUsage = false;
        if (body["stream_options"] is { } options)
        {
            if (options is not JsonObject streamOptions || !TryBool(streamOptions, "include_usage", out var usage, ref error, ref param))
            {
                (error, param) = (error ?? "'stream_options' must be an object.", "stream_options");
                return null;
            }

            includeUsage = usage == true;
        }

        var bytes = Encoding.UTF8.GetBytes(prompt.ToString());
        return new InferenceRequest(body, model, bytes.Length, promptTokens, maxTokens, stream == true, includeUsage, PrefixHasher.Hash(bytes));
    }

    private static bool TryMessages(JsonObject body, StringBuilder prompt, ref string? error, ref string? param)
    {
        if (body["messages"] is not JsonArray messages || messages.Count == 0)
        {
            (error, param) = ("'messages' is required and must be a non-empty array.", "messages");
            return false;
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message || message["role"] is not JsonValue role || !role.TryGetValue<string>(out var roleName)
                || !Roles.Contains(roleName))
            {
                (error, param) = ($"messages[{i}] must be an object with a 'role' of {string.Join(", ", Roles)}.", $"messages[{i}].role");
                return false;
            }

            switch (message["content"])
            {
                case null:
                    break;   // an assistant turn that only called tools
                case JsonValue text when text.TryGetValue<string>(out var content):
                    prompt.Append(roleName).Append(':').Append(content).Append('\n');
                    break;
                case JsonArray parts:
                    foreach (var part in parts)
                    {
                        if (part is not JsonObject partObject || partObject["type"] is not JsonValue)
                        {
                            (error, param) = ($"messages[{i}].content parts must be objects with a 'type'.", $"messages[{i}].content");
                            return false;
                        }

                        if (partObject["text"] is JsonValue partText && partText.TryGetValue<string>(out var value))
                        {
                            prompt.Append(value);
                        }
                    }

                    prompt.Append('\n');
                    break;
                default:
                    (error, param) = ($"messages[{i}].content must be a string, an array of parts or null.", $"messages[{i}].content");
                    return false;
            }
        }

        return true;
    }

    private static bool TryPrompt(JsonObject body, StringBuilder prompt, ref int promptTokens, ref string? error, ref string? param)
    {
        switch (body["prompt"])
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                prompt.Append(text);
                return true;
            case JsonArray { Count: > 0 } array when array.All(a => a is JsonValue v && v.TryGetValue<string>(out _)):
                prompt.Append(array[0]!.GetValue<string>());   // a batch of prompts is served as its first, as the router sees one request
                return true;
            case JsonArray { Count: > 0 } array when array.All(a => a is JsonValue v && v.TryGetValue<int>(out _)):
                promptTokens = array.Count;   // token ids: the exact prompt length
                return true;
            default:
                (error, param) = ("'prompt' is required: a string, a list of strings or a list of token ids.", "prompt");
                return false;
        }
    }

    private static bool TryStop(JsonObject body, ref string? error, ref string? param)
    {
        var stop = body["stop"];
        if (stop is null || (stop is JsonValue v && v.TryGetValue<string>(out _))
            || (stop is JsonArray { Count: <= 4 } list && list.All(s => s is JsonValue sv && sv.TryGetValue<string>(out _))))
        {
            return true;
        }

        (error, param) = ("'stop' must be a string or a list of at most 4 strings.", "stop");
        return false;
    }

    private static bool TryString(JsonObject body, string name, bool required, out string? value, ref string? error, ref string? param)
    {
        value = null;
        if (body[name] is JsonValue node && node.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
        {
            value = text;
            return true;
        }

        if (!required && body[name] is null)
        {
            return true;
        }

        (error, param) = ($"'{name}' is required and must be a non-empty string.", name);
        return false;
    }

    private static bool TryInt(JsonObject body, string name, int min, int max, out int? value, ref string? error, ref string? param)
    {
        value = null;
        var node = body[name];
        if (node is null)
        {
            return true;
        }

        if (node is JsonValue v && v.TryGetValue<double>(out var number) && number == Math.Floor(number) && number >= min && number <= max)
        {
            value = (int)number;
            return true;
        }

        (error, param) = ($"'{name}' must be an integer from {min} to {max}.", name);
        return false;
    }

    private static bool TryNumber(JsonObject body, string name, double min, double max, ref string? error, ref string? param)
    {
        var node = body[name];
        if (node is null || (node is JsonValue v && v.TryGetValue<double>(out var number) && number >= min && number <= max))
        {
            return true;
        }

        (error, param) = ($"'{name}' must be a number from {min} to {max}.", name);
        return false;
    }

    private static bool TryBool(JsonObject body, string name, out bool? value, ref string? error, ref string? param)
    {
        value = null;
        var node = body[name];
        if (node is null)
        {
            return true;
        }

        if (node is JsonValue v && v.TryGetValue<bool>(out var flag))
        {
            value = flag;
            return true;
        }

        (error, param) = ($"'{name}' must be true or false.", name);
        return false;
    }
}
