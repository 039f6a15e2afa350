using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Dio.FrontendApi.Inference;

/// <summary>
/// Relays an upstream server-sent-event stream event by event, flushing each, and reads the usage chunk on the way
/// (DIO learns from it). When DIO added <c>stream_options.include_usage</c> itself, that chunk is dropped so the
/// client sees exactly the stream it asked for. Works on the pipe's buffers: no string per event.
/// </summary>
internal static class SseRelay
{
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] UsageMarker = "\"usage\""u8.ToArray();
    private static readonly byte[] EmptyChoices = "\"choices\":[]"u8.ToArray();
    private static readonly byte[] DoneEvent = "data: [DONE]"u8.ToArray();

    /// <summary>The relay's result: whether anything arrived, and the usage if the stream carried it.</summary>
    public readonly record struct Outcome(bool AnyByte, int PromptTokens, int CompletionTokens);

    /// <summary>Relays until the upstream ends; an upstream that breaks surfaces as an IOException, and so does one that
    /// ends without vLLM's closing <c>[DONE]</c> (a worker that died can close its connection cleanly).</summary>
    /// <param name="upstream">The worker's response body.</param>
    /// <param name="client">The client's response body.</param>
    /// <param name="stripUsage">Drop the usage chunk (DIO asked for it, the client did not).</param>
    /// <param name="onRead">Called whenever bytes arrive from the worker (the first call is the first byte: TTFT).</param>
    /// <param name="upstreamToken">Ends the reads from the worker (the client's abort, or the worker's deadline).</param>
    /// <param name="clientToken">Ends the writes to the client (its abort): a slow reader is never the worker's fault.</param>
    public static async Task<Outcome> RelayAsync(Stream upstream, Stream client, bool stripUsage, Action onRead, CancellationToken upstreamToken,
        CancellationToken clientToken)
    {
        var reader = PipeReader.Create(upstream, new StreamPipeReaderOptions(leaveOpen: true));
        var any = false;
        var done = false;
        int prompt = 0, completion = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(upstreamToken);
                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    any = true;
                    onRead();
                }

                var wrote = false;
                while (TryTakeEvent(ref buffer, out var sseEvent))
                {
                    done = IsDone(sseEvent);
                    var isUsage = IsUsageEvent(sseEvent);
                    if (isUsage)
                    {
                        (prompt, completion) = ReadUsage(sseEvent);
                    }

                    if (!(isUsage && stripUsage))
                    {
                        foreach (var segment in sseEvent)
                        {
                            await client.WriteAsync(segment, clientToken);
                        }

                        await client.WriteAsync(EventEnd, clientToken);
                        wrote = true;
                    }
                }

                if (wrote)
                {
                    await client.FlushAsync(clientToken);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        throw new IOException("The upstream stream ended in the middle of an event.");
                    }

                    if (!done)
                    {
                        throw new IOException("The upstream stream ended without [DONE].");
                    }

                    return new Outcome(any, prompt, completion);
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static bool TryTakeEvent(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> sseEvent)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out sseEvent, EventEnd, advancePastDelimiter: true))
        {
            buffer = buffer.Slice(reader.Position);
            return true;
        }

        return false;
    }

    private static bool IsDone(in ReadOnlySequence<byte> sseEvent)
    {
        var bytes = sseEvent.IsSingleSegment ? sseEvent.FirstSpan : sseEvent.ToArray();
        return bytes.TrimEnd((byte)'\r').SequenceEqual(DoneEvent);
    }

    private static bool IsUsageEvent(in ReadOnlySequence<byte> sseEvent)
    {
        var reader = new SequenceReader<byte>(sseEvent);
        if (!reader.TryAdvanceTo((byte)'{', advancePastDelimiter: false))
        {
            return false;
        }

        var bytes = sseEvent.IsSingleSegment ? sseEvent.FirstSpan : sseEvent.ToArray();
        return bytes.IndexOf(UsageMarker) >= 0 && bytes.IndexOf(EmptyChoices) >= 0;
    }

    private static (int Prompt, int Completion) ReadUsage(in ReadOnlySequence<byte> sseEvent)
    {
        var bytes = sseEvent.ToArray();
        var start = Array.IndexOf(bytes, (byte)'{');
        try
        {
            using var json = JsonDocument.Parse(bytes.AsMemory(start));
            var usage = json.RootElement.GetProperty("usage");
            return (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (0, 0);
        }
    }
}
