using System.Text;
using System.Text.Json;
using Dio.Emulator.Hosting;
using Dio.FrontendApi.Hosting;
using Dio.FrontendApi.Inference;
using Dio.FrontendApi.Observability;
using Dio.FrontendApi.Routing;
using Dio.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dio.FrontendApi.Tests;

/// <summary>
/// The proxy against a real emulated vLLM with a control plane that fails: a failure of the control plane is
/// DIO's (503 + Retry-After) and never counts against the worker, and a report that cannot be delivered never
/// costs the client its answer.
/// </summary>
public sealed class ControlPlaneFailureTests : IAsyncLifetime
{
    private const string Model = "meta-llama/Meta-Llama-3-8B-Instruct";
    private WebApplication _emulator = null!;
    private Uri _worker = null!;

    public async Task InitializeAsync()
    {
        var options = new EmulatorOptions { Fleet = "1xA100-80GB", Port = 0, TimeScale = 50 };
        _emulator = EmulatorHost.Build(options);
        await _emulator.StartAsync();
        _worker = EmulatorHost.Urls(_emulator, options)[0];
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task RouterUnreachable_Is503WithRetryAfter_AndNothingIsReportedAgainstAWorker()
    {
        var backend = new FailingBackend(_worker) { RouteFails = true };

        var (status, headers, body) = await SendAsync(backend, stream: false);

        Assert.Equal(503, status);
        Assert.True(headers.ContainsKey("Retry-After"));
        Assert.Equal("control_plane_unavailable", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(backend.Reports);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReportsThatCannotBeDelivered_NeverCostTheClientItsAnswer_NorTheWorkerItsHealth(bool stream)
    {
        var backend = new FailingBackend(_worker) { ReportsFail = true };

        var (status, _, body) = await SendAsync(backend, stream);

        Assert.Equal(200, status);
        Assert.Contains(stream ? "[DONE]" : "\"choices\"", body, StringComparison.Ordinal);
        Assert.Equal([CompletionKind.Success], backend.Reports.Select(r => r.Kind));
    }

    private static async Task<(int Status, IHeaderDictionary Headers, string Body)> SendAsync(IRoutingBackend backend, bool stream)
    {
        using var services = new ServiceCollection().AddMetrics().AddLogging().BuildServiceProvider();
        var options = Options.Create(new GatewayOptions());
        using var drain = new ShutdownDrain(options, TimeProvider.System, NullLogger<ShutdownDrain>.Instance);
        using var invoker = Dio.Sidecar.Forwarding.ForwardingInvoker.Create();
        // The renewer is never started here: it only counts the leases the instruments report.
        var renewer = new LeaseRenewer(null!, Options.Create(new Dio.Grains.Scheduling.SchedulerOptions()), TimeProvider.System, NullLogger<LeaseRenewer>.Instance);
        var instruments = new GatewayInstruments(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), renewer, backend);
        var proxy = new InferenceProxy(backend, invoker, instruments, TimeProvider.System, options, drain, NullLogger<InferenceProxy>.Instance);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = "/v1/completions";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(
            JsonSerializer.Serialize(new { model = Model, prompt = "hello", max_tokens = 4, stream })));
        var response = new MemoryStream();
        context.Response.Body = response;

        await proxy.HandleAsync(context, chat: false);

        return (context.Response.StatusCode, context.Response.Headers, Encoding.UTF8.GetString(response.ToArray()));
    }

    /// <summary>Routes every request to the one worker; its failures are the control plane's.</summary>
    private sealed class FailingBackend(Uri worker) : IRoutingBackend
    {
        public bool RouteFails { get; init; }

        public bool ReportsFail { get; init; }

        public List<CompletionReport> Reports { get; } = [];

        public int KnownModels => 1;

        public ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken) => RouteFails
            ? throw new TimeoutException("Response did not arrive on time in 00:00:30 for message: Request IRouterGrain.RouteAsync")
            : ValueTask.FromResult(new RouteOutcome(RouteVerdict.Routed, "a100-0", worker.ToString(), Guid.NewGuid(), PredictedTtftMs: 20,
                PredictedE2eMs: 100));

        public void Started(string model, in RouteOutcome outcome, double ttftMs)
        {
            if (ReportsFail)
            {
                throw new OrleansException("the silo is gone");
            }
        }

        public void Complete(string model, in CompletionReport report)
        {
            Reports.Add(report);
            if (ReportsFail)
            {
                throw new OrleansException("the silo is gone");
            }
        }

        public void ReportTelemetry(string workerId, WorkerTelemetry telemetry)
        {
        }

        public ValueTask<IReadOnlyList<string>> ServedModelsAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<string>>([Model]);

        public ValueTask<bool> AnyHealthyAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask<bool> ServesAsync(string model, CancellationToken cancellationToken) => ValueTask.FromResult(model == Model);
    }
}
