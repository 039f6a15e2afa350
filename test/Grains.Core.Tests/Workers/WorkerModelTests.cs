using Dio.Grains.Tests.Support;
using Dio.Grains.Workers;

namespace Dio.Grains.Tests.Workers;

/// <summary>What a worker publishes: versioned views, learning, and its persisted form.</summary>
public sealed class WorkerModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryChange_PublishesANewerView_AndAnUnchangedModelTheSameOne()
    {
        var model = new WorkerModel(epoch: 5, HealthRules.Default);
        model.Register(TestWorkers.Registration("w"));
        var first = model.View!;

        Assert.Same(first, model.View);
        model.ApplyTelemetry(new WorkerTelemetry(0.5, 1, 0, 0, 0, Now));
        var second = model.View!;

        Assert.True(second.IsNewerThan(first));
        Assert.False(first.IsNewerThan(second));
        Assert.Equal(0.5, second.Telemetry!.KvUsage);
    }

    [Fact]
    public void ViewOfALaterActivation_IsNewer_WhateverItsSequence()
    {
        var old = new WorkerModel(epoch: 1, HealthRules.Default);
        old.Register(TestWorkers.Registration("w"));
        for (var i = 0; i < 10; i++)
        {
            old.ApplyTelemetry(new WorkerTelemetry(0.1, i, 0, 0, 0, Now.AddSeconds(i)));
            _ = old.View;
        }

        var reactivated = new WorkerModel(epoch: 2, HealthRules.Default);
        reactivated.Register(TestWorkers.Registration("w"));

        Assert.True(reactivated.View!.IsNewerThan(old.View));
        Assert.False(old.View!.IsNewerThan(reactivated.View));
    }

    [Fact]
    public void OlderReading_IsIgnored()
    {
        var model = new WorkerModel(epoch: 1, HealthRules.Default);
        model.Register(TestWorkers.Registration("w"));
        model.ApplyTelemetry(new WorkerTelemetry(0.5, 1, 0, 0, 0, Now));

        Assert.False(model.ApplyTelemetry(new WorkerTelemetry(0.9, 9, 0, 0, 0, Now.AddSeconds(-1))));
        Assert.Equal(0.5, model.View!.Telemetry!.KvUsage);
    }

    [Fact]
    public void OlderReadingThatHealsTheWorker_StillPublishesTheNewVerdict()
    {
        var model = new WorkerModel(epoch: 1, HealthRules.Default);
        model.Register(TestWorkers.Registration("w"));
        model.ApplyTelemetry(new WorkerTelemetry(0.5, 1, 0, 0, 0, Now));
        for (var i = 0; i < HealthRules.Default.FailedPollsToUnhealthy; i++)
        {
            model.PollFailed();
        }

        Assert.False(model.View!.Healthy);

        Assert.True(model.ApplyTelemetry(new WorkerTelemetry(0.9, 9, 0, 0, 0, Now.AddSeconds(-1))));   // late, but the engine answered
        Assert.True(model.View!.Healthy);
        Assert.Equal(0.5, model.View.Telemetry!.KvUsage);   // the newer reading is kept
    }

    [Fact]
    public void Learn_StreamedAndPlainAnswers_MeasuresTtftAndTpotOnlyFromStreams()
    {
        var learner = new WorkerLearner();

        learner.Learn(Success(ttftMs: 0, e2eMs: 900, completionTokens: 10), freeVramMb: 0);   // plain answer: no first token
        Assert.Equal(0, learner.View.MeanTtftMs);
        Assert.Equal(0, learner.View.MeanTpotMs);
        learner.Learn(Success(ttftMs: 100, e2eMs: 1000, completionTokens: 10), freeVramMb: 0);
        learner.Learn(Success(ttftMs: 200, e2eMs: 1100, completionTokens: 1), freeVramMb: 0);   // one token: no TPOT

        Assert.Equal((0.9 * 100) + (0.1 * 200), learner.View.MeanTtftMs, precision: 9);
        Assert.Equal(100, learner.View.MeanTpotMs, precision: 9);   // (1000 − 100) / (10 − 1)
    }

    [Fact]
    public void Import_StateSavedBeforeMeasuredMeans_StartsThemEmpty()
    {
        var learner = new WorkerLearner();
        learner.Learn(Success(ttftMs: 100, e2eMs: 1000, completionTokens: 10), freeVramMb: 0);
        var old = learner.Export() with { MeanTtft = null, MeanTpot = null };
        var restored = new WorkerLearner();

        restored.Import(old);

        Assert.Equal(0, restored.View.MeanTtftMs);
        Assert.Equal(learner.View.MeanE2eMs, restored.View.MeanE2eMs);
        Assert.Equal(1, restored.View.Observations);
    }

    private static LearningSample Success(double ttftMs, double e2eMs, int completionTokens) =>
        new(CompletionKind.Success, Vector4.Of(1, 1, 0), Vector4.Of(1, 0.1, 0), 0, e2eMs, ttftMs, e2eMs, 1000, completionTokens);

    [Fact]
    public void UnderPrediction_CountsOnlyAnswersLaterThanPredicted_AsAShareOfTheAnswer()
    {
        var learner = new WorkerLearner();
        // Predicted 100 ms, answered in 200 ms: half of the answer was not predicted. Predicted 300 ms, answered in
        // 100 ms: early, no share. The average moves 5% of the way per sample from the first.
        learner.Learn(new LearningSample(CompletionKind.Success, Vector4.Of(1, 1, 0), Vector4.Of(1, 0.1, 0), 0, 900, TtftMs: 200,
            E2eMs: 1000, PromptTokens: 1000, CompletionTokens: 100, PredictedTtftMs: 100), freeVramMb: 0);
        Assert.Equal(0.5, learner.View.TtftUnderPrediction, 9);

        learner.Learn(new LearningSample(CompletionKind.Success, Vector4.Of(1, 1, 0), Vector4.Of(1, 0.1, 0), 0, 900, TtftMs: 100,
            E2eMs: 1000, PromptTokens: 1000, CompletionTokens: 100, PredictedTtftMs: 300), freeVramMb: 0);
        Assert.Equal(0.95 * 0.5, learner.View.TtftUnderPrediction, 9);
    }

    [Fact]
    public void LearnedState_ExportedAndImported_PredictsTheSame()
    {
        var learner = new WorkerLearner();
        for (var i = 0; i < 50; i++)
        {
            learner.Learn(new LearningSample(CompletionKind.Success, Vector4.Of(1, 1 + (i % 5), 0), Vector4.Of(1, 0.1, 0.01), 0, 900,
                TtftMs: 40 + (20 * (i % 5)), E2eMs: 1000 + (10 * i), PromptTokens: 1000, CompletionTokens: 100, PredictedTtftMs: 70), freeVramMb: 0);
        }

        var restored = new WorkerLearner();
        restored.Import(learner.Export());

        Assert.Equal(50, restored.View.Observations);
        Assert.Equal(learner.View, restored.View);
        Assert.NotEqual(LatencyModelViews.Prior, restored.View);
    }

    [Fact]
    public void FailedSample_TeachesNothing_ButCountsAgainstHealth()
    {
        var model = new WorkerModel(epoch: 1, HealthRules.Default with { TransportFailuresToUnhealthy = 1 });
        model.Register(TestWorkers.Registration("w"));

        var changed = model.Apply(new LearningSample(CompletionKind.FailedBeforeFirstByte, default, default, 0, 0, 0, 5, 100, 0), Now);

        Assert.True(changed);
        Assert.False(model.View!.Healthy);
        Assert.Equal(0, model.View.Predictor.Observations);
    }
}
