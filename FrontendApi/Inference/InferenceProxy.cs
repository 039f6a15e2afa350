using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dio.FrontendApi.Errors;
using Dio.FrontendApi.Observability;
using Dio.FrontendApi.Routing;
using Dio.Grains;
using Dio.Sidecar.Forwarding;
using Dio.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http.Features;

namespace Dio.FrontendApi.Inference;

/// <summary>
/// One inference call: validate, route, forward to the chosen worker with true streaming, and report what was
/// measured. A worker that fails before the first byte is released and the request retried on up to two other
/// workers; after the first byte the client gets a clean SSE error event. Every answer carries
/// <c>X-Dio-Worker</c> and <c>X-Dio-Predicted-Ttft-Ms</c>.
/// </summary>
internal sealed partial class InferenceProxy(IRoutingBackend backend, HttpMessageInvoker invoker, GatewayInstruments instruments,
    TimeProvider time, Microsoft.Extensions.Options.IOptions<Hosting.GatewayOptions> options, Hosting.ShutdownDrain drain,
    ILogger<InferenceProxy> logger)
{
    public const long MaxBodyBytes = 8 * 1024 * 1024;
    public const string TierHeader = "X-Dio-Tier";
    public const string SloHeader = "X-Dio-Ttft-Slo-Ms";
    public const string WorkerHeader = "X-Dio-Worker";
    public const string PredictedTtftHeader = "X-Dio-Predicted-Ttft-Ms";
    private const int MaxAttempts = 3;

    /// <summary>The model label of requests whose model is not served: label values must not be chosen by clients.</summary>
    private const string UnknownModel = "unknown";

    public async Task HandleAsync(HttpContext context, bool chat)
    {
        if (!drain.TryEnter())
        {
            await OpenAiErrors.ShuttingDown().ExecuteAsync(context);
            return;
        }

        try
        {
            await ServeAsync(context, chat);
        }
        finally
        {
            drain.Exit();
        }
    }

    private async Task ServeAsync(HttpContext context, bool chat)
    {
        var received = time.GetTimestamp();
        if (!RequestIds.TryGet(context, out var requestId))
        {
            await OpenAiErrors.BadRequest($"{RequestIds.Header} must be 1 to {RequestIds.MaxLength} letters, digits or '-', '_', '.', ':'.",
                RequestIds.Header, "invalid_header").ExecuteAsync(context);
            return;
        }

        context.Response.Headers[RequestIds.Header] = requestId;
        if (context.Request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await OpenAiErrors.UnsupportedMediaType(context.Request.ContentType).ExecuteAsync(context);
            return;
        }

        var (request, raw, problem) = await ReadAsync(context, chat);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }

        if (!TryRouteHeaders(context, out var tier, out var sloMs, out problem))
        {
            await problem!.ExecuteAsync(context);
            return;
        }

        bool served;
        try
        {
            served = await backend.ServesAsync(request!.Model, context.RequestAborted);
        }
        catch (Exception e) when (IsControlPlaneFailure(e))
        {
            await ControlPlaneUnavailableAsync(context, requestId, UnknownModel, e);   // not known to be served: never a label
            return;
        }

        if (!served)
        {
            instruments.Request(UnknownModel, "model_not_found");   // a client-chosen string must not become a metric label
            await OpenAiErrors.ModelNotFound(request.Model).ExecuteAsync(context);
            return;
        }

        // Ask for the usage chunk when streaming, so DIO learns even when the client did not; strip it again later.
        var injectUsage = request.Stream && !request.IncludeUsage;
        if (injectUsage)
        {
            request.Body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        // Forward the client's own bytes unless DIO changed the body: no re-serialization on the common path.
        var payload = injectUsage ? Encoding.UTF8.GetBytes(request.Body.ToJsonString()) : raw!;
        // The client leaving and the end of a shutdown drain both end the request; which one it was decides the answer.
        using var serving = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain.Stopping);
        var excluded = new List<string>();
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var route = new RouteRequest(request.Model, request.PromptTokens, request.PromptBytes, request.MaxTokens, tier, sloMs,
                request.PrefixBlocks, ExcludedWorkers: excluded.Count == 0 ? null : [.. excluded], Prompts: request.Prompts,
                Sequences: request.Sequences, TemplateTokens: request.TemplateTokens);
            RouteOutcome outcome;
            var span = GatewayTracing.Source.StartActivity("dio.route");   // null, and free, unless a tracer listens
            try
            {
                outcome = await backend.RouteAsync(route, serving.Token);
                GatewayTracing.Describe(span, outcome, attempt);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                instruments.Request(request.Model, "client_cancelled");   // the router withdrew the request, or released its lease
                return;
            }
            catch (OperationCanceledException) when (drain.Stopping.IsCancellationRequested)
            {
                instruments.Request(request.Model, "shutdown");
                await OpenAiErrors.ShuttingDown().ExecuteAsync(context);
                return;
            }
            catch (Exception e) when (IsControlPlaneFailure(e))
            {
                await ControlPlaneUnavailableAsync(context, requestId, request.Model, e);
                return;
            }
            finally
            {
                span?.Dispose();   // the decision only: the forward is HttpClient's own span, a sibling
            }

            switch (outcome.Verdict)
            {
                case RouteVerdict.Reject:
                    instruments.Request(request.Model, "rejected");
                    await OpenAiErrors.BadRequest(ContextLengthMessage(outcome, request.MaxTokens), "messages", "context_length_exceeded").ExecuteAsync(context);
                    return;
                case RouteVerdict.Shed when outcome.ShedReason == ShedReason.SloUnattainable:
                    instruments.Request(request.Model, "rejected");
                    await OpenAiErrors.BadRequest(
                        $"{SloHeader} is {sloMs:0.###} ms, but even an idle worker is predicted to need {outcome.PredictedTtftMs:0} ms to the first " +
                        "token of this prompt. Raise the objective or leave the header out.", SloHeader, "slo_unattainable").ExecuteAsync(context);
                    return;
                case RouteVerdict.Shed or RouteVerdict.Wait when excluded.Count == 0:
                    instruments.Request(request.Model, "shed");
                    await OpenAiErrors.Overloaded(outcome.ShedReason.ToString(), outcome.RetryAfter).ExecuteAsync(context);
                    return;
                case RouteVerdict.Shed or RouteVerdict.Wait:
                    break;   // no other worker left to retry on
                default:
                    if (await ForwardAsync(context, requestId, request, payload, injectUsage, outcome, received, serving.Token))
                    {
                        return;
                    }

                    excluded.Add(outcome.WorkerId!);
                    continue;
            }

            break;
        }

        instruments.Request(request.Model, "upstream_failed");
        await OpenAiErrors.NoWorker($"No worker could serve the request after {excluded.Count} attempt(s).", TimeSpan.FromSeconds(2)).ExecuteAsync(context);
    }

    /// <summary>Forwards to the routed worker. False when it failed before the first byte (released; retry elsewhere).</summary>
    private async Task<bool> ForwardAsync(HttpContext context, string requestId, InferenceRequest request, byte[] payload, bool injectUsage, RouteOutcome outcome,
        long received, CancellationToken serving)
    {
        var workerId = outcome.WorkerId!;
        var dispatched = time.GetTimestamp();
        using var upstream = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(outcome.Endpoint!), context.Request.Path))
        {
            Content = new ByteArrayContent(payload) { Headers = { ContentType = new("application/json") } },
        };
        upstream.Headers.TryAddWithoutValidation(RequestIds.Header, requestId);
        GatewayTracing.PassOnTraceContext(context, upstream);
        if (context.Request.Headers.Authorization is { Count: > 0 } authorization)
        {
            upstream.Headers.TryAddWithoutValidation("Authorization", (IEnumerable<string?>)authorization);
        }

        // A worker that accepts and never answers must not hold the client: past its first-byte deadline it is given up
        // like a refused connection (retried elsewhere, counted against its health). After the first byte the same
        // deadline becomes the stream's activity timeout (see OnRead).
        var deadline = options.Value.FirstByteTimeout(request.Stream ? outcome.PredictedTtftMs : outcome.PredictedE2eMs);
        using var workerDeadline = new CancellationTokenSource(deadline, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(serving, workerDeadline.Token);
        // A non-streamed answer arrives whole, so its first byte says nothing about when vLLM started it. From its
        // predicted first token on vLLM's readings count it, so from then on its lease stops reserving KV, as a
        // stream's does from its first byte; without this it would be counted twice for its whole life.
        var startedReported = 0;
        void MarkStarted(double ttftMs)
        {
            if (Interlocked.Exchange(ref startedReported, 1) == 0)
            {
                Tell("started", (backend, request.Model, outcome, ttftMs), static s => s.backend.Started(s.Model, s.outcome, s.ttftMs));
            }
        }

        await using var startAtPrediction = request.Stream
            ? null
            : time.CreateTimer(_ => MarkStarted(0), null, TimeSpan.FromMilliseconds(Math.Max(1, outcome.PredictedTtftMs)), Timeout.InfiniteTimeSpan);
        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(upstream, attempt.Token);
        }
        catch (OperationCanceledException) when (drain.Stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            Report(request, outcome, CompletionKind.Cancelled, dispatched, 0, default);   // the gateway stopped, not the worker
            instruments.Request(request.Model, "shutdown");
            await OpenAiErrors.ShuttingDown().ExecuteAsync(context);
            return true;
        }
        catch (OperationCanceledException) when (workerDeadline.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            LogAttemptFailed(logger, requestId, workerId, $"no answer within {deadline.TotalSeconds:0.#} s");
            Report(request, outcome, CompletionKind.FailedBeforeFirstByte, dispatched, 0, default);
            return false;
        }
        catch (HttpRequestException e)
        {
            LogAttemptFailed(logger, requestId, workerId, e.Message);
            Report(request, outcome, CompletionKind.FailedBeforeFirstByte, dispatched, 0, default);
            return false;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left before the worker answered: close the lease now, not at its expiry.
            Report(request, outcome, CompletionKind.Cancelled, dispatched, 0, default);
            instruments.Request(request.Model, "client_cancelled");
            return true;
        }

        using (response)
        {
            if ((int)response.StatusCode >= 500)
            {
                LogAttemptFailed(logger, requestId, workerId, $"HTTP {(int)response.StatusCode}");
                Report(request, outcome, CompletionKind.FailedBeforeFirstByte, dispatched, 0, default);
                return false;
            }

            PiggybackedTelemetry(workerId, response);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.Headers[WorkerHeader] = workerId;
            context.Response.Headers[PredictedTtftHeader] = outcome.PredictedTtftMs.ToString("0", CultureInfo.InvariantCulture);
            if (response.Content.Headers.ContentType is { } type)
            {
                context.Response.ContentType = type.ToString();
            }

            if (!response.IsSuccessStatusCode)
            {
                // The worker refused the request itself (4xx): its message, in OpenAI's shape; no learning, no health penalty.
                Report(request, outcome, CompletionKind.Cancelled, dispatched, 0, default);
                instruments.Request(request.Model, "worker_refused");
                var refusal = await ReadBoundedAsync(response, WorkerErrors.MaxBodyBytes, attempt.Token);
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(WorkerErrors.ToOpenAiShape(refusal, (int)response.StatusCode), context.RequestAborted);
                return true;
            }

            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var firstByte = 0L;

            // Every read from the worker: the first is its first byte; each one re-arms the deadline as the stream's
            // activity timeout, so a worker that stalls mid-stream ends the client's stream with a clean error event.
            void OnRead()
            {
                if (firstByte == 0)
                {
                    firstByte = time.GetTimestamp();
                    if (request.Stream)
                    {
                        MarkStarted(Ms(dispatched, firstByte));   // a plain answer's first byte is its last: its start was the prediction's timer
                    }
                }

                workerDeadline.CancelAfter(options.Value.StreamActivityTimeout);
            }

            await using var body = await response.Content.ReadAsStreamAsync(attempt.Token);
            try
            {
                var usage = request.Stream
                    ? await SseRelay.RelayAsync(body, context.Response.Body, stripUsage: injectUsage, OnRead, attempt.Token, context.RequestAborted)
                    : await CopyAnswerAsync(body, context.Response.Body, OnRead, attempt.Token, context.RequestAborted);
                Report(request, outcome, CompletionKind.Success, dispatched, firstByte, usage, request.Stream);
                instruments.Completed(request.Model, Ms(received, firstByte), Ms(received, time.GetTimestamp()));
                instruments.Request(request.Model, "completed");
                return true;
            }
            catch (OperationCanceledException) when (drain.Stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
            {
                // The drain is over and this request is still open: end it cleanly; the worker did nothing wrong.
                Report(request, outcome, CompletionKind.Cancelled, dispatched, firstByte, default);
                instruments.Request(request.Model, "shutdown");
                await EndCutShortAsync(context, request.Stream, "The DIO gateway is shutting down; the answer was cut short. Retry the request.",
                    "shutting_down");
                return true;
            }
            catch (Exception e) when ((e is IOException or HttpRequestException || (e is OperationCanceledException && workerDeadline.IsCancellationRequested))
                && !context.RequestAborted.IsCancellationRequested)
            {
                if (firstByte == 0 && !context.Response.HasStarted)
                {
                    LogAttemptFailed(logger, requestId, workerId, e.Message);
                    Report(request, outcome, CompletionKind.FailedBeforeFirstByte, dispatched, 0, default);
                    return false;
                }

                // After the first byte the answer cannot move to another worker: end the stream with a clean error event.
                LogBrokeMidStream(logger, requestId, workerId, e.Message);
                Report(request, outcome, CompletionKind.FailedMidStream, dispatched, firstByte, default);
                instruments.Request(request.Model, "broken_mid_stream");
                await EndCutShortAsync(context, request.Stream, $"The worker failed mid-stream: {e.Message}");
                return true;
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                Report(request, outcome, CompletionKind.Cancelled, dispatched, firstByte, default);
                instruments.Request(request.Model, "client_cancelled");
                return true;
            }
        }
    }

    /// <summary>Ends an answer that cannot be finished: a stream with an SSE error event and [DONE], a plain answer
    /// (whose status is sent already) by aborting the connection, so the client cannot mistake it for a whole one.</summary>
    private static async Task EndCutShortAsync(HttpContext context, bool stream, string message, string code = "upstream_stream_broken")
    {
        if (stream)
        {
            await context.Response.WriteAsync(OpenAiErrors.StreamError(message, code));
            await context.Response.WriteAsync("data: [DONE]\n\n");
        }
        else
        {
            context.Abort();
        }
    }

    /// <summary>Closes the lease (one-way: the client's response never waits for the control plane).</summary>
    private void Report(InferenceRequest request, RouteOutcome outcome, CompletionKind kind, long dispatched, long firstByte,
        SseRelay.Outcome usage, bool streamed = true)
    {
        var now = time.GetTimestamp();
        // A non-streamed answer arrives whole: its first byte is no TTFT, so the worker learns TTFT only from streams.
        var ttft = firstByte > 0 && streamed ? Ms(dispatched, firstByte) : 0;
        var report = new CompletionReport(outcome.WorkerId!, outcome.LeaseId, kind, ttft, Ms(dispatched, now),
            usage.PromptTokens, usage.CompletionTokens);
        Tell("completion", (backend, request.Model, report), static s => s.backend.Complete(s.Model, s.report));
    }

    /// <summary>
    /// A one-way report to the control plane. It must never cost the client its answer nor crash the process (it
    /// also runs on a timer thread): a control plane that cannot take it now loses one report, which the lease's
    /// expiry makes good.
    /// </summary>
    private void Tell<TState>(string what, TState state, Action<TState> report)
    {
        try
        {
            report(state);   // a static lambda over a value tuple: nothing allocated per request
        }
        catch (Exception e) when (IsControlPlaneFailure(e) || e is ObjectDisposedException or InvalidOperationException)
        {
            LogReportLost(logger, what, e.Message);
        }
    }

    /// <summary>The control plane could not be reached or answered with an error: transient, never the client's fault.</summary>
    private static bool IsControlPlaneFailure(Exception e) =>
        e is OrleansException or TimeoutException or IOException or System.Net.Sockets.SocketException
        || e.GetType().Namespace?.StartsWith("Orleans", StringComparison.Ordinal) == true;

    private async Task ControlPlaneUnavailableAsync(HttpContext context, string requestId, string model, Exception e)
    {
        LogControlPlaneFailed(logger, requestId, e.Message);
        instruments.Request(model, "control_plane_unavailable");
        await OpenAiErrors.ControlPlaneUnavailable(TimeSpan.FromSeconds(2)).ExecuteAsync(context);
    }

    private static async Task<SseRelay.Outcome> CopyAnswerAsync(Stream upstream, Stream client, Action onRead, CancellationToken upstreamToken,
        CancellationToken clientToken)
    {
        using var copy = new MemoryStream();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        var first = true;
        try
        {
            int read;
            while ((read = await upstream.ReadAsync(buffer, upstreamToken)) > 0)
            {
                onRead();
                first = false;
                await client.WriteAsync(buffer.AsMemory(0, read), clientToken);
                copy.Write(buffer, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        try
        {
            using var json = JsonDocument.Parse(copy.GetBuffer().AsMemory(0, (int)copy.Length));
            var usage = json.RootElement.GetProperty("usage");
            return new SseRelay.Outcome(!first, usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new SseRelay.Outcome(!first, 0, 0);
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[limit];
        var length = 0;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while (length < limit && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            // A refusal whose body broke off: what arrived (possibly nothing) still makes an error message.
        }

        return buffer[..length];
    }

    private void PiggybackedTelemetry(string workerId, HttpResponseMessage response)
    {
        if (Header(response, TelemetryHeaders.KvUsage) is not { } kv || Header(response, TelemetryHeaders.TakenAt) is not { } takenAt)
        {
            return;
        }

        var telemetry = new WorkerTelemetry(kv, (int)(Header(response, TelemetryHeaders.Running) ?? 0), (int)(Header(response, TelemetryHeaders.Waiting) ?? 0),
            (long)(Header(response, TelemetryHeaders.Preemptions) ?? 0), 0, DateTimeOffset.FromUnixTimeMilliseconds((long)takenAt));
        Tell("telemetry", (backend, workerId, telemetry), static s => s.backend.ReportTelemetry(s.workerId, s.telemetry));
    }

    private static double? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static async Task<(InferenceRequest? Request, byte[]? Raw, IResult? Problem)> ReadAsync(HttpContext context, bool chat)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, null, OpenAiErrors.TooLarge(MaxBodyBytes));
        }

        byte[] raw;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            raw = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, null, OpenAiErrors.TooLarge(MaxBodyBytes));
        }

        // System.Text.Json checks UTF-8 only when a string is materialized, deep inside validation: check it up front.
        if (!System.Text.Unicode.Utf8.IsValid(raw))
        {
            return (null, null, OpenAiErrors.BadRequest("The body is not valid UTF-8.", code: "invalid_encoding"));
        }

        JsonNode? body;
        try
        {
            if (JsonStrings.FindInvalidUtf16(raw) is { } invalid)
            {
                return (null, null, OpenAiErrors.BadRequest($"The body has a string that is not valid Unicode ({invalid}).", code: "invalid_encoding"));
            }

            // Duplicate keys are refused: vLLM (Python) keeps the last, DIO's reader would see the first, and the two
            // must never disagree about the model or the token budget.
            body = JsonNode.Parse(raw, documentOptions: new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            return (null, null, OpenAiErrors.BadRequest($"The body is not valid JSON: {e.Message}", code: "invalid_json"));
        }

        var request = InferenceRequest.TryCreate(body, chat, out var error, out var param);
        return request is null ? (null, null, OpenAiErrors.BadRequest(error!, param)) : (request, raw, null);
    }

    private static bool TryRouteHeaders(HttpContext context, out RequestTier tier, out double sloMs, out IResult? problem)
    {
        tier = RequestTier.Interactive;
        sloMs = 0;
        problem = null;
        if (context.Request.Headers.TryGetValue(TierHeader, out var tierValue))
        {
            if (string.Equals(tierValue, "batch", StringComparison.OrdinalIgnoreCase))
            {
                tier = RequestTier.Batch;
            }
            else if (!string.Equals(tierValue, "interactive", StringComparison.OrdinalIgnoreCase))
            {
                problem = OpenAiErrors.BadRequest($"{TierHeader} must be 'interactive' or 'batch'.", TierHeader, "invalid_header");
                return false;
            }
        }

        if (context.Request.Headers.TryGetValue(SloHeader, out var sloValue)
            && (!double.TryParse(sloValue, NumberStyles.Float, CultureInfo.InvariantCulture, out sloMs) || !double.IsFinite(sloMs)
                || sloMs is < 1 or > 3_600_000))
        {
            problem = OpenAiErrors.BadRequest($"{SloHeader} must be a number of milliseconds from 1 to 3600000.", SloHeader, "invalid_header");
            return false;
        }

        return true;
    }

    /// <summary>vLLM's own 400 text, so a client sees the same message with or without DIO in front.</summary>
    private static string ContextLengthMessage(RouteOutcome outcome, int maxTokens) => maxTokens > 0
        ? $"This model's maximum context length is {outcome.MaxModelLen} tokens. However, you requested {outcome.PromptTokens + maxTokens} tokens " +
          $"({outcome.PromptTokens} in the messages, {maxTokens} in the completion). Please reduce the length of the messages or completion."
        : $"This model's maximum context length is {outcome.MaxModelLen} tokens. However, your request has {outcome.PromptTokens} input tokens. " +
          "Please reduce the length of the input messages.";

    private double Ms(long from, long to) => time.GetElapsedTime(from, to).TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: worker {WorkerId} failed before the first byte: {Reason}; retrying elsewhere")]
    private static partial void LogAttemptFailed(ILogger logger, string requestId, string workerId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Report} report to the control plane was lost: {Reason}")]
    private static partial void LogReportLost(ILogger logger, string report, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: the control plane is unavailable: {Reason}")]
    private static partial void LogControlPlaneFailed(ILogger logger, string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: worker {WorkerId} broke a stream after its first byte: {Reason}")]
    private static partial void LogBrokeMidStream(ILogger logger, string requestId, string workerId, string reason);
}
