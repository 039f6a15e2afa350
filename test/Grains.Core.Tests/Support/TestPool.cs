using Dio.Grains.Routing;
using Dio.Grains.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace Dio.Grains.Tests.Support;

/// <summary>A pool and its workers wired in process (<see cref="InProcessPool"/>) on a fake clock, with helpers to
/// register workers, report telemetry and complete requests.</summary>
internal sealed class TestPool
{
    public const string Model = "llama-3-8b";

    public TestPool(string policy = "dio", SchedulerOptions? options = null)
    {
        Fleet = new InProcessPool(Model, Configure(options, policy), Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessPool Fleet { get; }

    public RoutingPool Router => Fleet.Pool;

    public WorkerRegistration AddWorker(string id, int blocks = 1000, int maxModelLen = 8192, int maxNumSeqs = 256)
    {
        var registration = TestWorkers.Registration(id, blocks, maxModelLen, maxNumSeqs: maxNumSeqs, model: Model);
        Fleet.Register(registration);
        return registration;
    }

    public void Report(string id, double kvUsage, int running = 0, int waiting = 0) =>
        Fleet.ReportTelemetry(id, new WorkerTelemetry(kvUsage, running, waiting, 0, 0, Time.GetUtcNow()));

    public static RouteRequest Request(int promptTokens = 1000, int maxTokens = 100, RequestTier tier = RequestTier.Interactive) =>
        new(Model, promptTokens, 0, maxTokens, tier);

    public void Complete(in RouteOutcome outcome, int completionTokens = 100, double ttftMs = 100, double e2eMs = 1000,
        CompletionKind kind = CompletionKind.Success) =>
        Fleet.Complete(new CompletionReport(outcome.WorkerId!, outcome.LeaseId, kind, ttftMs, e2eMs, outcome.PromptTokens, completionTokens));

    private static SchedulerOptions Configure(SchedulerOptions? options, string policy)
    {
        options ??= new SchedulerOptions();
        options.Policy = policy;
        options.PrefixIndexEntries = 1 << 12;
        return options;
    }
}
