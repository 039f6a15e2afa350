using System.Text.Json;

namespace Dio.Emulator.Api;

/// <summary>The parts of an OpenAI completion or chat request the emulator uses, parsed as leniently as vLLM does.</summary>
public sealed record CompletionRequest(string Model, int PromptTokens, int? MaxTokens, bool Stream, bool IncludeUsage, bool Chat)
{
    /// <summary>Parses a body; returns null and an error message for anything vLLM would refuse with 400.</summary>
    public static CompletionRequest? Parse(JsonElement body, bool chat, out string? error)
    {
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "The request body must be a JSON object.";
            return null;
        }

        if (!body.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String)
        {
            error = "'model' is required and must be a string.";
            return null;
        }

        int promptTokens;
        if (chat)
        {
            if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
            {
                error = "'messages' is required and must be a non-empty array.";
                return null;
            }

            var contents = new List<string>();
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content))
                {
                    error = "Every message needs a 'content'.";
                    return null;
                }

                contents.Add(content.ValueKind switch
                {
                    JsonValueKind.String => content.GetString()!,
                    JsonValueKind.Array => string.Concat(content.EnumerateArray()
                        .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out _))
                        .Select(p => p.GetProperty("text").GetString())),
                    _ => string.Empty,
                });
            }

            promptTokens = Serving.EmulatedTokenizer.CountChat(contents);
        }
        else
        {
            if (!body.TryGetProperty("prompt", out var prompt))
            {
                error = "'prompt' is required.";
                return null;
            }

            var text = prompt.ValueKind switch
            {
                JsonValueKind.String => prompt.GetString(),
                JsonValueKind.Array when prompt.GetArrayLength() > 0 && prompt[0].ValueKind == JsonValueKind.String => prompt[0].GetString(),
                _ => null,
            };
            if (text is null)
            {
                error = "'prompt' must be a string or a list of strings.";
                return null;
            }

            promptTokens = Serving.EmulatedTokenizer.Count(text);
        }

        int? maxTokens = null;
        foreach (var name in (string[])["max_tokens", "max_completion_tokens"])
        {
            if (body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var parsed) || parsed < 1)
                {
                    error = $"'{name}' must be a positive integer.";
                    return null;
                }

                maxTokens = parsed;
            }
        }

        var stream = body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var includeUsage = body.TryGetProperty("stream_options", out var options) && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True;
        return new CompletionRequest(model.GetString()!, promptTokens, maxTokens, stream, includeUsage, chat);
    }
}
