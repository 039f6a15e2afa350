using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Dio.Emulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Dio.FrontendApi.Tests;

/// <summary>A gateway that exports traces over OTLP/HTTP to a receiver the fixture runs, which records each export.</summary>
public sealed class TracingFixture : GatewayFixture
{
    private WebApplication? _receiver;

    public ConcurrentQueue<(string Path, string? ContentType, long Bytes)> Exports { get; } = new();

    protected override string Fleet => "1xA100-80GB";

    protected override void Configure(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var port = EmulatorHost.FreePorts(1)[0];
        var receiver = WebApplication.CreateSlimBuilder();
        receiver.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _receiver = receiver.Build();
        _receiver.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            Exports.Enqueue((context.Request.Path, context.Request.ContentType, body.Length));
            return Results.Ok();
        });
        _receiver.StartAsync().GetAwaiter().GetResult();
        builder.Configuration["OpenTelemetry:Otlp:Endpoint"] = $"http://127.0.0.1:{port}/v1/traces";
        builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        builder.Configuration["OTEL_BSP_SCHEDULE_DELAY"] = "200";   // export within a fraction of a second
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }
}

/// <summary>One trace per request: the client's trace id runs through DIO's decision span and the forward to the
/// worker, whose own server (the emulated vLLM behind its sidecar) continues it; spans leave over OTLP.</summary>
public sealed class TracingTests(TracingFixture gateway) : IClassFixture<TracingFixture>, IDisposable
{
    private readonly ConcurrentBag<Activity> _seen = [];
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = _ => true,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    [Fact]
    public async Task ClientTraceId_ReachesTheDecisionSpanAndTheWorker_AndIsExported()
    {
        _listener.ActivityStopped = _seen.Add;
        ActivitySource.AddActivityListener(_listener);
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, "/v1/completions"))
        {
            Content = JsonContent.Create(new { model = GatewayFixture.Model, prompt = "trace me", max_tokens = 2 }),
        };
        // The client's own span: HttpClient sends it as W3C traceparent.
        using var client = new Activity("client").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start();

        using var response = await gateway.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await GatewayFixture.WaitUntilAsync(() => Task.FromResult(WorkerSpan(traceId) is not null), "the worker's server span in the client's trace");

        var decision = Assert.Single(_seen, a => a.TraceId == traceId && a.OperationName == "dio.route");
        Assert.Equal("Routed", decision.GetTagItem("dio.verdict"));
        Assert.Equal(response.Headers.GetValues("X-Dio-Worker").Single(), decision.GetTagItem("dio.worker"));
        Assert.IsType<double>(decision.GetTagItem("dio.score.service_ms"));
        await GatewayFixture.WaitUntilAsync(() => Task.FromResult(!gateway.Exports.IsEmpty), "an OTLP export");
        Assert.All(gateway.Exports, e => Assert.Equal("application/x-protobuf", e.ContentType));
    }

    /// <summary>The emulated vLLM's own request span: ASP.NET Core on the emulator's port, in the client's trace.</summary>
    private Activity? WorkerSpan(ActivityTraceId traceId) => _seen.FirstOrDefault(a => a.TraceId == traceId
        && a.Kind == ActivityKind.Server && a.GetTagItem("server.port") is int port && port == gateway.Workers[0].Emulator.Port);

    public void Dispose() => _listener.Dispose();
}
