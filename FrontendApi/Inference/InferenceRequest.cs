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

    /// <summary>Most prompts in one completions batch (OpenAI's limit for an array prompt).</summary>
    public const int MaxBatchPrompts = 2048;

    /// <summary>Most choices per prompt (<c>n</c>; OpenAI allows 128) and most candidates (<c>best_of</c>; OpenAI allows 20).</summary>
    public const int MaxChoices = 128;
    public const int MaxBestOf = 20;

    /// <summary>
    /// Tokens a chat template adds: per message its role header and end-of-turn marker, per request the
    /// begin-of-text token and the assistant header that primes the reply. Llama 3's template is 5 and 5
    /// (<c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\n … &lt;|eot_id|&gt;</c>); OpenAI's cookbook counts
    /// 3 and 3 for its own models. The larger is kept: under-counting is the error that lets KV overflow.
    /// </summary>
    public const int TemplateTokensPerMessage = 5;
    public const int TemplateTokensPerRequest = 5;
    private static readonly HashSet<string> Roles = ["system", "user", "assistant", "tool", "developer", "function"];

    private InferenceRequest(JsonObject body, string model, int promptBytes, int promptTokens, int maxTokens, bool stream,
        bool includeUsage, ulong[] prefixBlocks, PromptShape shape)
    {
        Prompts = shape.Prompts;
        Sequences = shape.Prompts * shape.Choices;
        TemplateTokens = shape.TemplateTokens;
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

    /// <summary>Prompts in the request: a completions batch is several, each served as its own vLLM request.</summary>
    public int Prompts { get; }

    /// <summary>Sequences vLLM decodes at once: prompts × max(n, best_of), each with its own output KV.</summary>
    public int Sequences { get; }

    /// <summary>Tokens the chat template adds around the messages (0 for completions).</summary>
    public int TemplateTokens { get; }

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
        var shape = new PromptShape(1, 1, 0);
        if (!(chat ? TryMessages(body, prompt, ref shape, ref error, ref param) : TryPrompt(body, prompt, ref promptTokens, ref shape, ref error, ref param)))
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
            || !TryInt(body, "n", 1, MaxChoices, out var n, ref error, ref param) || !TryInt(body, "best_of", 1, MaxBestOf, out var bestOf, ref error, ref param)
            || !TryStop(body, ref error, ref param))
        {
            return null;
        }

        if (bestOf < n)
        {
            (error, param) = ("'best_of' must be at least 'n'.", "best_of");
            return null;
        }

        shape = shape with { Choices = Math.Max(n ?? 1, bestOf ?? 1) };

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
        var prefix = shape.FirstPromptBytes > 0 ? bytes.AsSpan(0, shape.FirstPromptBytes) : bytes;
        return new InferenceRequest(body, model, bytes.Length, promptTokens, maxTokens, stream == true, includeUsage, PrefixHasher.Hash(prefix), shape);
    }

    /// <summary>How a prompt turns into vLLM requests and sequences.</summary>
    /// <param name="Prompts">Prompts (a batch is several).</param>
    /// <param name="Choices">max(n, best_of): sequences per prompt.</param>
    /// <param name="TemplateTokens">Chat template tokens.</param>
    /// <param name="FirstPromptBytes">UTF-8 bytes of a batch's first prompt, whose prefix the router matches; 0: all of it.</param>
    private readonly record struct PromptShape(int Prompts, int Choices, int TemplateTokens, int FirstPromptBytes = 0);

    private static bool TryMessages(JsonObject body, StringBuilder prompt, ref PromptShape shape, ref string? error, ref string? param)
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
                    prompt.Append(content).Append('\n');
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

        shape = shape with { TemplateTokens = TemplateTokensPerRequest + (messages.Count * TemplateTokensPerMessage) };
        return true;
    }

    /// <summary>
    /// OpenAI's four prompt forms: a string, a list of strings (a batch), a list of token ids, a list of lists of
    /// token ids (a batch). A batch is one vLLM request per prompt, all of them held at once; token ids are exact.
    /// </summary>
    private static bool TryPrompt(JsonObject body, StringBuilder prompt, ref int promptTokens, ref PromptShape shape, ref string? error,
        ref string? param)
    {
        const string Expected = "'prompt' is required: a string, a list of strings, a list of token ids or a list of lists of token ids.";
        switch (body["prompt"])
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                prompt.Append(text);
                return true;
            case JsonArray { Count: > 0 } array when array.Count > MaxBatchPrompts:
                (error, param) = ($"'prompt' may hold at most {MaxBatchPrompts} prompts.", "prompt");
                return false;
            case JsonArray { Count: > 0 } array when array.All(a => a is JsonValue v && v.TryGetValue<string>(out _)):
                foreach (var item in array)
                {
                    prompt.Append(item!.GetValue<string>());
                }

                shape = shape with { Prompts = array.Count, FirstPromptBytes = Encoding.UTF8.GetByteCount(array[0]!.GetValue<string>()) };
                return true;
            case JsonArray { Count: > 0 } array when array.All(IsTokenId):
                promptTokens = array.Count;
                return true;
            case JsonArray { Count: > 0 } array when array.All(a => a is JsonArray { Count: > 0 } ids && ids.All(IsTokenId)):
                promptTokens = array.Sum(a => ((JsonArray)a!).Count);
                shape = shape with { Prompts = array.Count };
                return true;
            default:
                (error, param) = (Expected, "prompt");
                return false;
        }

        static bool IsTokenId(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var id) && id >= 0;
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
