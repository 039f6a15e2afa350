using System.Diagnostics.Metrics;
using Dio.Grains.Observability;
using Dio.Grains.Policies;
using Dio.Grains.Routing;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace Dio.Grains.Tests.Observability;

public sealed class RouterInstrumentsTests : IDisposable
{
    private const string Model = "llama-3-8b";
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeasurementRecorder _recorded;

    public RouterInstrumentsTests() => _recorded = new MeasurementRecorder(_services.GetRequiredService<IMeterFactory>());

    [Fact]
    public void Decided_CountsTheVerdictAndTheShedReasonPerPool()
    {
        var sut = CreateSut();
        var pool = Pool();

        sut.Decided(pool, new RouteOutcome(RouteVerdict.Shed, ShedReason: ShedReason.QueueFull));
        sut.Decided(pool, new RouteOutcome(RouteVerdict.Routed, "w1"));

        var decisions = _recorded.Of("dio.router.decisions");
        Assert.Equal(2, decisions.Count);
        Assert.Equal(new Dictionary<string, object?> { ["model"] = Model, ["policy"] = "dio", ["verdict"] = "Shed", ["reason"] = "QueueFull" }, decisions[0].Tags);
        Assert.Equal("Routed", decisions[1].Tags["verdict"]);
        Assert.Equal("None", decisions[1].Tags["reason"]);
        var shed = Assert.Single(_recorded.Of("dio.router.sheds"));   // the routed one is no shed
        Assert.Equal(new Dictionary<string, object?> { ["model"] = Model, ["reason"] = "QueueFull" }, shed.Tags);
    }

    [Fact]
    public void Durations_AreRecordedInSeconds()
    {
        var sut = CreateSut();
        var pool = Pool();

        sut.DecisionTook(pool, TimeSpan.FromMicroseconds(40));
        sut.Waited(pool, TimeSpan.FromMilliseconds(1500));

        var decision = Assert.Single(_recorded.Of("dio.router.decision.duration"));
        Assert.Equal(("s", 0.00004), (decision.Unit, decision.Value));
        var wait = Assert.Single(_recorded.Of("dio.router.queue.wait"));
        Assert.Equal(("s", 1.5), (wait.Unit, wait.Value));
        Assert.Equal(Model, wait.Tags["model"]);
    }

    [Fact]
    public void RecordingADecision_AllocatesNothing()
    {
        var sut = CreateSut();
        var pool = Pool();
        var outcome = new RouteOutcome(RouteVerdict.Shed, ShedReason: ShedReason.DeadlineExceeded);
        _recorded.Keep = false;
        Record(sut, pool, outcome);   // warm: first use of each series

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Record(sut, pool, outcome);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001 * 4, _recorded.Count);   // decision, shed, duration, wait: the listener saw every one

        static void Record(RouterInstruments sut, RoutingPool pool, in RouteOutcome outcome)
        {
            sut.Decided(pool, outcome);
            sut.DecisionTook(pool, TimeSpan.FromMicroseconds(3));
            sut.Waited(pool, TimeSpan.Zero);
        }
    }

    [Fact]
    public void Gauges_ReadTheAttachedPoolsLeases_PerWorkerAndPerPool_UntilDetached()
    {
        var sut = CreateSut();
        var pool = Pool();
        var routed = pool.TryRoute(new RouteRequest(Model, PromptTokens: 1000, PromptBytes: 0, MaxTokens: 100));
        Assert.Equal(RouteVerdict.Routed, routed.Verdict);
        sut.Attach(pool);

        _recorded.Observe();

        var worker = new Dictionary<string, object?> { ["worker"] = "w1", ["model"] = Model, ["gpu"] = "L4" };
        var inFlight = Assert.Single(_recorded.Of("dio.worker.requests.in_flight"));
        Assert.Equal(1, inFlight.Value);
        Assert.Equal(worker, inFlight.Tags);
        var reserved = Assert.Single(_recorded.Of("dio.worker.kv.blocks.reserved"));
        Assert.True(reserved.Value >= (1000 + 100) / 16, $"{reserved.Value} blocks reserved");   // prompt + output, at 16 tokens a block
        Assert.Equal(1, Assert.Single(_recorded.Of("dio.router.leases.open")).Value);
        Assert.Equal(1, Assert.Single(_recorded.Of("dio.router.workers")).Value);
        Assert.Equal(0, Assert.Single(_recorded.Of("dio.router.queue.length")).Value);
        Assert.Equal(0, Assert.Single(_recorded.Of("dio.router.leases.expired")).Value);
        Assert.Equal(0, Assert.Single(_recorded.Of("dio.router.leases.reclaimed")).Value);

        _recorded.Measurements.Clear();
        sut.Detach(pool);
        _recorded.Observe();

        Assert.Empty(_recorded.Measurements);
    }

    [Fact]
    public void Detach_OfAnOlderActivationsPool_KeepsTheNewerOne()
    {
        var sut = CreateSut();
        var older = Pool();
        var newer = Pool();
        sut.Attach(older);
        sut.Attach(newer);

        sut.Detach(older);
        _recorded.Observe();

        Assert.Single(_recorded.Of("dio.router.workers"));
    }

    public void Dispose()
    {
        _recorded.Dispose();
        _services.Dispose();
    }

    private RouterInstruments CreateSut() => new(_services.GetRequiredService<IMeterFactory>());

    private static RoutingPool Pool()
    {
        var options = new SchedulerOptions();
        var pool = new RoutingPool(Model, RoutingPolicyFactory.Create(RoutingPolicyNames.Dio, options), options, TimeProvider.System);
        var registration = new WorkerRegistration("w1", "http://w1", Model, "L4", 8192, 2000, 16, 256, "small");
        pool.Apply(new WorkerView(1, 1, registration, true, new WorkerTelemetry(0.25, 1, 0, 0, 0, DateTimeOffset.UnixEpoch), LatencyModelViews.Prior));
        return pool;
    }
}
