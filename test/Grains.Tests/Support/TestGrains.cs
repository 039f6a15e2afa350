using Dio.Grains.Routing;
using Dio.Grains.Scheduling;

namespace Dio.Grains.Tests.Support;

/// <summary>A grain directory on a manual clock, with helpers to register workers and report telemetry.</summary>
internal sealed class TestGrains
{
    public const string Model = "llama-3-8b";

    public TestGrains(string policy = "dio", SchedulerOptions? options = null)
    {
        Directory = new GrainDirectory(Configure(options, policy), Time);
    }

    public ManualTimeProvider Time { get; } = new();

    public GrainDirectory Directory { get; }

    public RouterGrain Router => Directory.GetPool(Model);

    public async Task<WorkerRegistration> AddWorkerAsync(string id, int blocks = 1000, int maxModelLen = 8192, int maxNumSeqs = 256)
    {
        var registration = TestWorkers.Registration(id, blocks, maxModelLen, maxNumSeqs: maxNumSeqs, model: Model);
        await Directory.GetWorker(id).RegisterAsync(registration);
        return registration;
    }

    public ValueTask ReportAsync(string id, double kvUsage, int running = 0, int waiting = 0) =>
        Directory.GetWorker(id).ReportTelemetryAsync(new WorkerTelemetry(kvUsage, running, waiting, 0, 0, Time.GetUtcNow()));

    public static RouteRequest Request(int promptTokens = 1000, int maxTokens = 100, RequestTier tier = RequestTier.Interactive) =>
        new(Model, promptTokens, 0, maxTokens, tier);

    public ValueTask CompleteAsync(in RouteOutcome outcome, int completionTokens = 100, double ttftMs = 100, double e2eMs = 1000) =>
        Router.CompleteAsync(new CompletionReport(outcome.WorkerId!, outcome.ReservationId, CompletionKind.Success, ttftMs, e2eMs,
            outcome.PromptTokens, completionTokens));

    private static SchedulerOptions Configure(SchedulerOptions? options, string policy)
    {
        options ??= new SchedulerOptions();
        options.Policy = policy;
        options.PrefixIndexEntries = 1 << 12;
        return options;
    }
}
