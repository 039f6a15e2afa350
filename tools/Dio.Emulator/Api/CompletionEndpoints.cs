using System.Text;
using System.Text.Json;
using Dio.Emulator.Serving;

namespace Dio.Emulator.Api;

/// <summary>
/// <c>POST /v1/completions</c> and <c>POST /v1/chat/completions</c>, streaming (SSE, with <c>stream_options.include_usage</c>)
/// and not, in vLLM's response shapes. With max_tokens the server generates exactly that many tokens (finish
/// "length"), as traces replay their output lengths; without it a deterministic "end of sequence" comes after
/// 16–255 tokens (finish "stop").
/// </summary>
internal static class CompletionEndpoints
{
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static void MapCompletionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/completions", (HttpContext context, EmulatedFleet fleet, TimeProvider time) => HandleAsync(context, fleet, time, chat: false));
        app.MapPost("/v1/chat/completions", (HttpContext context, EmulatedFleet fleet, TimeProvider time) => HandleAsync(context, fleet, time, chat: true));
    }

    private static async Task HandleAsync(HttpContext context, EmulatedFleet fleet, TimeProvider time, bool chat)
    {
        var server = fleet.For(context)!;
        if (await FaultGate.BlockAsync(server, context))
        {
            return;
        }

        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            await VllmErrors.BadRequest($"Invalid JSON body: {e.Message}").ExecuteAsync(context);
            return;
        }

        using (body)
        {
            var request = CompletionRequest.Parse(body.RootElement, chat, out var error);
            if (request is null)
            {
                await VllmErrors.BadRequest(error!).ExecuteAsync(context);
                return;
            }

            if (!string.Equals(request.Model, server.Model, StringComparison.Ordinal))
            {
                await VllmErrors.NotFound($"The model `{request.Model}` does not exist.").ExecuteAsync(context);
                return;
            }

            if (request.MaxTokens is { } max && request.PromptTokens + max > server.MaxModelLen)
            {
                await VllmErrors.BadRequest(VllmErrors.ContextLengthExceeded(server.MaxModelLen, request.PromptTokens, max)).ExecuteAsync(context);
                return;
            }

            if (request.PromptTokens >= server.MaxModelLen)
            {
                await VllmErrors.BadRequest(VllmErrors.PromptTooLong(server.MaxModelLen, request.PromptTokens)).ExecuteAsync(context);
                return;
            }

            var output = request.MaxTokens ?? Math.Min(server.MaxModelLen - request.PromptTokens, 16 + (request.PromptTokens * 7919 % 240));
            var finish = request.MaxTokens is null ? "stop" : "length";
            var stream = server.Submit(request.PromptTokens, output);
            using var cancel = context.RequestAborted.Register(() => server.Cancel(stream));
            var response = new ResponseShape(chat, $"{(chat ? "chatcmpl" : "cmpl")}-{Guid.NewGuid():N}", time.GetUtcNow().ToUnixTimeSeconds(), server.Model);
            if (request.Stream)
            {
                await StreamAsync(context, server, stream, request, response, finish);
            }
            else
            {
                await AnswerAsync(context, server, stream, request, response, finish);
            }
        }
    }

    private static async Task AnswerAsync(HttpContext context, EmulatedServer server, InferenceCall stream, CompletionRequest request,
        ResponseShape shape, string finish)
    {
        var text = new StringBuilder();
        await foreach (var index in stream.Tokens.Reader.ReadAllAsync(context.RequestAborted))
        {
            text.Append(EmulatedTokenizer.TokenText(index - 1));
        }

        if (server.Fault is FaultMode.Crash or FaultMode.DropMidStream)
        {
            Drop(context);
            return;
        }

        await Results.Json(shape.Complete(text.ToString(), finish, Usage(request, stream)), EmulatorJson.Options).ExecuteAsync(context);
    }

    private static async Task StreamAsync(HttpContext context, EmulatedServer server, InferenceCall stream, CompletionRequest request,
        ResponseShape shape, string finish)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var body = context.Response.Body;
        var sent = 0;
        await foreach (var index in stream.Tokens.Reader.ReadAllAsync(context.RequestAborted))
        {
            if (server.Fault == FaultMode.Crash)
            {
                Drop(context);   // the process died: the connection is torn down, whatever was still in flight
                return;
            }

            if (server.Fault == FaultMode.DropMidStream && sent >= 2)
            {
                // The stream broke after its first events. Thrown, not aborted: after the response has started Kestrel
                // answers an application error by closing the connection once what was written has gone out, without
                // the closing chunk, so the client reads every event sent and then an early end. An abort discards
                // what still sits in Kestrel's output pipe (the first events went missing: a flaky test, seen twice).
                throw new EngineDroppedException(sent);
            }

            var last = index == stream.Request.OutputTokens;   // known up front: the engine marks the request finished only after publishing its last token
            await WriteEventAsync(body, shape.Chunk(EmulatedTokenizer.TokenText(index - 1), first: sent == 0, finish: last ? finish : null), context.RequestAborted);
            sent++;
        }

        if (request.IncludeUsage)
        {
            await WriteEventAsync(body, shape.UsageChunk(Usage(request, stream)), context.RequestAborted);
        }

        await body.WriteAsync(Done, context.RequestAborted);
        await body.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// Drops the connection as a dying server does: a FIN first, then the abort (what a crash mid-stream does; a
    /// stream that must deliver its first events breaks by <see cref="EngineDroppedException"/> instead).
    /// </summary>
    private static void Drop(HttpContext context)
    {
        try
        {
            context.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionSocketFeature>()?.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Gone already.
        }
        catch (ObjectDisposedException)
        {
        }

        context.Abort();
    }

    private static async Task WriteEventAsync(Stream body, object payload, CancellationToken cancellationToken)
    {
        await body.WriteAsync("data: "u8.ToArray(), cancellationToken);
        await JsonSerializer.SerializeAsync(body, payload, EmulatorJson.Options, cancellationToken);
        await body.WriteAsync("\n\n"u8.ToArray(), cancellationToken);
        await body.FlushAsync(cancellationToken);
    }

    private static Dictionary<string, int> Usage(CompletionRequest request, InferenceCall stream) => new()
    {
        ["prompt_tokens"] = request.PromptTokens,
        ["completion_tokens"] = stream.Request.Generated,
        ["total_tokens"] = request.PromptTokens + stream.Request.Generated,
    };

    /// <summary>vLLM's JSON shapes for one response, chat or plain completion.</summary>
    private sealed record ResponseShape(bool Chat, string Id, long Created, string Model)
    {
        public Dictionary<string, object?> Complete(string text, string finish, object usage) => new Dictionary<string, object?>
        {
            ["id"] = Id,
            ["object"] = Chat ? "chat.completion" : "text_completion",
            ["created"] = Created,
            ["model"] = Model,
            ["choices"] = new[] { Choice(text, finish, delta: false, first: false) },
            ["usage"] = usage,
        };

        public Dictionary<string, object?> Chunk(string text, bool first, string? finish) => new Dictionary<string, object?>
        {
            ["id"] = Id,
            ["object"] = Chat ? "chat.completion.chunk" : "text_completion",
            ["created"] = Created,
            ["model"] = Model,
            ["choices"] = new[] { Choice(text, finish, delta: true, first) },
        };

        public Dictionary<string, object?> UsageChunk(object usage) => new Dictionary<string, object?>
        {
            ["id"] = Id,
            ["object"] = Chat ? "chat.completion.chunk" : "text_completion",
            ["created"] = Created,
            ["model"] = Model,
            ["choices"] = Array.Empty<object>(),
            ["usage"] = usage,
        };

        private Dictionary<string, object?> Choice(string text, string? finish, bool delta, bool first)
        {
            var choice = new Dictionary<string, object?> { ["index"] = 0, ["logprobs"] = null, ["finish_reason"] = finish };
            if (!Chat)
            {
                choice["text"] = text;
            }
            else if (delta)
            {
                choice["delta"] = first ? new Dictionary<string, string> { ["role"] = "assistant", ["content"] = text } : new Dictionary<string, string> { ["content"] = text };
            }
            else
            {
                choice["message"] = new Dictionary<string, string> { ["role"] = "assistant", ["content"] = text };
            }

            return choice;
        }
    }
}

/// <summary>The emulated engine died after <c>sent</c> events of a stream (fault injection): ends the connection early.</summary>
internal sealed class EngineDroppedException(int sent) : Exception($"Fault injection: the stream dropped after {sent} events.");
