using Dio.Grains.Scheduling;
using Dio.Grains.Tests.Support;

namespace Dio.Grains.Tests.Routing;

/// <summary>Admission counts what vLLM will hold: every sequence's output, every prompt of a batch, the chat
/// template; and an objective no worker can meet even idle is said to be that, not overload.</summary>
public sealed class AdmissionShapeTests
{
    [Fact]
    public void ParallelSequences_EachReserveTheirOwnOutput()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");

        grains.Router.TryRoute(TestPool.Request(promptTokens: 1000, maxTokens: 100) with { Sequences = 4 });

        Assert.Equal(88, grains.Router.Members[0].ReservedBlocks);   // ⌈(1000 + 4·100)/16⌉, not ⌈1100/16⌉ = 69
    }

    [Fact]
    public void ParallelSequences_ThatDoNotFit_AreNotAdmitted_WhereOneWould()
    {
        var grains = new TestPool(options: new SchedulerOptions { SlowStartObservations = 0 });
        grains.AddWorker("w1", blocks: 300);
        grains.Router.TryRoute(TestPool.Request());   // 69 blocks leased: 300 − 69 − 5% headroom = 216 free
        var request = TestPool.Request(promptTokens: 1000, maxTokens: 100) with { TtftSloMs = 10_000 };

        // One sequence: 69 × 1.2 = 83 blocks fit; twenty: ⌈(1000 + 20·100)/16⌉ = 188, × 1.2 = 226 do not.
        Assert.NotEqual(RouteVerdict.Routed, grains.Router.TryRoute(request with { Sequences = 20 }).Verdict);
        Assert.Equal(RouteVerdict.Routed, grains.Router.TryRoute(request).Verdict);
    }

    [Fact]
    public void BatchOfPrompts_IsCheckedAgainstTheContextPerPrompt()
    {
        var grains = new TestPool();
        grains.AddWorker("w1", blocks: 2000, maxModelLen: 4096);
        var batch = TestPool.Request(promptTokens: 6000, maxTokens: 100) with { Prompts = 2, Sequences = 2 };

        var outcome = grains.Router.TryRoute(batch);

        Assert.Equal(RouteVerdict.Routed, outcome.Verdict);   // two prompts of 3000 each fit 4096
        Assert.Equal(RouteVerdict.Reject, grains.Router.TryRoute(batch with { Prompts = 1, Sequences = 1 }).Verdict);
        Assert.Equal(388, grains.Router.Members[0].ReservedBlocks);   // ⌈(6000 + 2·100)/16⌉
    }

    [Fact]
    public void TemplateTokens_AreAddedToThePrompt_AndKeptOutOfTheBytesRatio()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        var chat = new RouteRequest(TestPool.Model, 0, PromptBytes: 4000, MaxTokens: 100, TemplateTokens: 100);

        var first = grains.Router.TryRoute(chat);
        Assert.Equal(1100, first.PromptTokens);   // 4000 bytes × 0.25 + 100
        grains.Complete(first);                     // vLLM counts 1100 prompt tokens, template included

        // Learning 1100/4000 as the ratio would have made it 1010 + 100; the text's own 1000 tokens were right.
        Assert.Equal(1100, grains.Router.TryRoute(chat).PromptTokens);
    }

    [Fact]
    public void ClientObjectiveBelowTheFastestIdlePrediction_IsUnattainable_NotOverload()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");

        var outcome = grains.Router.TryRoute(TestPool.Request() with { TtftSloMs = 0.5 });

        Assert.Equal(RouteVerdict.Shed, outcome.Verdict);
        Assert.Equal(ShedReason.SloUnattainable, outcome.ShedReason);
        Assert.True(outcome.PredictedTtftMs > 0.5, $"fastest idle prediction {outcome.PredictedTtftMs} ms");
        Assert.Equal(0, grains.Router.Members[0].InFlight);
    }

    [Fact]
    public void DefaultObjectiveNoWorkerCanMeet_IsServedBestEffort()
    {
        var grains = new TestPool(options: new SchedulerOptions { InteractiveTtftSloMs = 0.5 });
        grains.AddWorker("w1");

        Assert.Equal(RouteVerdict.Routed, grains.Router.TryRoute(TestPool.Request()).Verdict);
    }

    [Fact]
    public void PlainCompletions_EndSlowStart_ThoughTheyCannotTeachTtft()
    {
        var grains = new TestPool();
        grains.AddWorker("w1");
        for (var i = 0; i < new SchedulerOptions().SlowStartObservations; i++)
        {
            grains.Complete(grains.Router.TryRoute(TestPool.Request()), ttftMs: 0);   // a plain answer: no first token to time
        }

        var held = Enumerable.Range(0, 4).Select(_ => grains.Router.TryRoute(TestPool.Request()).Verdict).ToList();

        Assert.All(held, v => Assert.Equal(RouteVerdict.Routed, v));   // in slow start only the first would be
        Assert.Equal(0, grains.Fleet.Snapshot("w1")!.Observations);      // the TTFT channel indeed learned nothing
    }
}
