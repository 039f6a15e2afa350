using System.Diagnostics.Metrics;
using Dio.Grains.Observability;
using Dio.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace Dio.Grains.Tests.Observability;

public sealed class WorkerInstrumentsTests : IDisposable
{
    private static readonly WorkerRegistration Registration = new("w1", "http://w1", "llama-3-8b", "T4", 8192, 1000, 16, 256, "small");
    private static readonly Dictionary<string, object?> Labels = new() { ["worker"] = "w1", ["model"] = "llama-3-8b", ["gpu"] = "T4" };
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeasurementRecorder _recorded;

    public WorkerInstrumentsTests() => _recorded = new MeasurementRecorder(_services.GetRequiredService<IMeterFactory>());

    [Fact]
    public void Learned_AStreamedAnswer_RecordsMeasuredAndPredictedInSeconds_WithTheWorkersLabels()
    {
        using var sut = CreateSut().Track("w1");
        sut.Publish(View(kvUsage: 0));

        // TTFT 200 ms, then 10 more tokens in 1,000 ms: TPOT 100 ms; the router predicted 150 ms and 90 ms.
        sut.Learned(Sample(ttftMs: 200, e2eMs: 1200, completionTokens: 11, predictedTtftMs: 150, predictedTpotMs: 90));

        Assert.Equal(0.2, Single("dio.worker.ttft"), 9);
        Assert.Equal(0.15, Single("dio.worker.predicted_ttft"), 9);
        Assert.Equal(0.05, Single("dio.worker.prediction_error"), 9);
        Assert.Equal(0.1, Single("dio.worker.tpot"), 9);
        Assert.Equal(0.09, Single("dio.worker.predicted_tpot"), 9);
        Assert.All(_recorded.Measurements, m => Assert.Equal(Labels, m.Tags));
        Assert.All(_recorded.Measurements, m => Assert.Equal("s", m.Unit));
    }

    [Fact]
    public void Learned_APlainAnswerOrAFailure_RecordsNothing()
    {
        using var sut = CreateSut().Track("w1");
        sut.Publish(View(kvUsage: 0));

        sut.Learned(Sample(ttftMs: 0, e2eMs: 900, completionTokens: 20, predictedTtftMs: 100, predictedTpotMs: 30));   // arrived whole: no TTFT
        sut.Learned(Sample(ttftMs: 100, e2eMs: 900, completionTokens: 20, predictedTtftMs: 100, predictedTpotMs: 30) with
        {
            Kind = CompletionKind.FailedMidStream,
        });

        Assert.Empty(_recorded.Measurements);
    }

    [Fact]
    public void RecordingACompletion_AllocatesNothing()
    {
        using var sut = CreateSut().Track("w1");
        sut.Publish(View(kvUsage: 0));
        var sample = Sample(ttftMs: 120, e2eMs: 800, completionTokens: 30, predictedTtftMs: 100, predictedTpotMs: 25);
        _recorded.Keep = false;
        sut.Learned(sample);   // warm: first use of each series

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            sut.Learned(sample);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001 * 5, _recorded.Count);
    }

    [Fact]
    public void Gauges_ShowThePublishedView_UntilTheWorkerLeaves()
    {
        var instruments = CreateSut();
        using var sut = instruments.Track("w1");
        sut.Publish(View(kvUsage: 0.5, running: 3, waiting: 2, preemptions: 7));

        _recorded.Observe();

        Assert.Equal(500, Single("dio.worker.kv.blocks.used"));   // 0.5 × 1,000 blocks
        Assert.Equal(1000, Single("dio.worker.kv.blocks.capacity"));
        Assert.Equal(3, Single("dio.worker.requests.running"));
        Assert.Equal(2, Single("dio.worker.requests.waiting"));
        Assert.Equal(1, Single("dio.worker.healthy"));
        Assert.Equal(7, Single("dio.worker.preemptions"));
        Assert.All(_recorded.Measurements, m => Assert.Equal(Labels, m.Tags));

        _recorded.Measurements.Clear();
        sut.Clear();   // deregistered
        _recorded.Observe();

        Assert.Empty(_recorded.Measurements);
    }

    [Fact]
    public void DisposingAnOlderActivation_KeepsTheNewerOnesSeries()
    {
        var instruments = CreateSut();
        var older = instruments.Track("w1");
        using var newer = instruments.Track("w1");
        newer.Publish(View(kvUsage: 0.1));

        older.Dispose();
        _recorded.Observe();

        Assert.Equal(100, Single("dio.worker.kv.blocks.used"));
    }

    public void Dispose()
    {
        _recorded.Dispose();
        _services.Dispose();
    }

    private WorkerInstruments CreateSut() => new(_services.GetRequiredService<IMeterFactory>());

    private double Single(string instrument) => Assert.Single(_recorded.Of(instrument)).Value;

    private static WorkerView View(double kvUsage, int running = 0, int waiting = 0, long preemptions = 0) =>
        new(1, 1, Registration, true, new WorkerTelemetry(kvUsage, running, waiting, preemptions, 0, DateTimeOffset.UnixEpoch), LatencyModelViews.Prior);

    private static LearningSample Sample(double ttftMs, double e2eMs, int completionTokens, double predictedTtftMs, double predictedTpotMs) =>
        new(CompletionKind.Success, default, default, 0, 0, ttftMs, e2eMs, 100, completionTokens, predictedTtftMs, predictedTpotMs);
}
