using Dio.Emulator.Engine.Engine;
using Dio.Emulator.Engine.Hardware;

namespace Dio.Emulator.Engine.Tests;

/// <summary>vLLM V1 scheduling semantics (ALGORITHMS.md §4.5), on small engines driven step by step.</summary>
public sealed class EngineSemanticsTests
{
    [Fact]
    public void ChunkedPrefill_LongPrompt_SplitsOverTheTokenBudget()
    {
        var engine = Engine(GpuProfiles.A100With80GB);   // budget 2048
        var request = new EngineRequest(1, promptTokens: 5000, outputTokens: 3, arrivalSeconds: 0);
        engine.Add(request);
        var log = new Log();

        var steps = RunUntil(engine, log, () => request.FirstTokenSeconds is not null);

        Assert.Equal(3, steps);                    // 2048 + 2048 + 904
        Assert.Equal(5000, request.Computed);
        Assert.Equal(1, request.Generated);
    }

    [Fact]
    public void Decode_OneTokenPerStep_UntilOutputLength()
    {
        var engine = Engine(GpuProfiles.A100With80GB);
        var request = new EngineRequest(1, 100, outputTokens: 10, 0);
        engine.Add(request);
        var log = new Log();

        var steps = RunUntil(engine, log, () => request.IsFinished);

        Assert.Equal(10, steps);   // 1 prefill step that samples the first token, then 9 decodes
        Assert.Equal(10, log.Tokens);
        Assert.Equal(0, engine.UsedBlocks);
        Assert.Equal(0, engine.Running);
    }

    [Fact]
    public void Admission_Fcfs_RespectsMaxNumSeqs()
    {
        var engine = new VllmEngine(new EngineOptions(GpuProfiles.A100With80GB) { MaxNumSeqs = 2, NoiseSigma = 0 });
        for (var i = 1; i <= 3; i++)
        {
            engine.Add(new EngineRequest(i, 10, 5, 0));
        }

        engine.PlanStep();

        Assert.Equal(2, engine.Running);
        Assert.Equal(1, engine.Waiting);
    }

    [Fact]
    public void Preemption_OutOfBlocks_PreemptsNewestAndRecomputes()
    {
        // 10 blocks of 16 tokens. Two requests of 64 prompt tokens (4 blocks each) growing to 64 + 40 tokens (7 blocks).
        var engine = new VllmEngine(new EngineOptions(GpuProfiles.A100With80GB) { NumGpuBlocks = 10, NoiseSigma = 0 });
        var older = new EngineRequest(1, 64, 40, 0);
        var newer = new EngineRequest(2, 64, 40, 0);
        engine.Add(older);
        engine.Add(newer);
        var log = new Log();

        RunUntil(engine, log, () => newer.Preemptions > 0);

        Assert.Equal(0, older.Preemptions);
        Assert.Equal(1, engine.Counters.Preemptions);
        Assert.Equal(0, newer.Computed);           // recompute: its progress is dropped...
        Assert.True(newer.Generated > 0);          // ...but the tokens it already produced are kept
        Assert.Equal(1, engine.Waiting);           // back at the head of the waiting queue

        RunUntil(engine, log, () => newer.IsFinished);
        Assert.True(older.IsFinished);
        Assert.Equal(40, older.Generated);
        Assert.Equal(40, newer.Generated);
        Assert.Equal(0, engine.UsedBlocks);
    }

    [Fact]
    public void KvFull_WaitingRequestQueues_NotAnError()
    {
        var engine = new VllmEngine(new EngineOptions(GpuProfiles.A100With80GB) { NumGpuBlocks = 8, NoiseSigma = 0 });
        var big = new EngineRequest(1, 100, 2, 0);      // 7 blocks
        var small = new EngineRequest(2, 40, 2, 0);     // 3 blocks: does not fit beside it
        engine.Add(big);
        engine.Add(small);

        engine.PlanStep();

        Assert.Equal(1, engine.Running);
        Assert.Equal(1, engine.Waiting);
    }

    [Fact]
    public void PrefixCaching_RepeatedPrefix_SkipsItsPrefill()
    {
        var options = new EngineOptions(GpuProfiles.A100With80GB) { PrefixCaching = true, PrefixHashTokens = 512, NoiseSigma = 0 };
        var engine = new VllmEngine(options);
        var log = new Log();
        var first = new EngineRequest(1, 2048, 2, 0, [1, 2, 3, 4]);
        engine.Add(first);
        RunUntil(engine, log, () => first.IsFinished);

        var second = new EngineRequest(2, 2048, 2, 0, [1, 2, 3, 9]);
        engine.Add(second);
        var duration = engine.PlanStep();

        Assert.Equal(3 * 512, second.CachedTokens);
        Assert.True(duration < new VllmEngine(options with { PrefixCaching = false }).Timing.PrefillSeconds(2048) / 2);
        Assert.Equal(3 * 512, engine.Counters.PrefixCacheHits);
    }

    [Fact]
    public void Drift_AfterStart_SlowsStepsUpToTheCap()
    {
        var engine = new VllmEngine(new EngineOptions(GpuProfiles.A100With80GB) { NoiseSigma = 0, DriftStartRequest = 0 });
        engine.Add(new EngineRequest(1, 100, 1000, 0));

        var first = engine.PlanStep();
        engine.CompleteStep(first, new Log());
        var base1 = engine.Timing.PrefillSeconds(100);

        Assert.Equal(base1 * 1.02, first, 9);   // one admitted request: +2%
    }

    private static VllmEngine Engine(GpuProfile gpu) => new(new EngineOptions(gpu) { NoiseSigma = 0 });

    private static int RunUntil(VllmEngine engine, Log log, Func<bool> done)
    {
        var now = 0.0;
        var steps = 0;
        while (!done())
        {
            var duration = engine.PlanStep();
            Assert.True(duration > 0, "the engine stalled");
            now += duration;
            engine.CompleteStep(now, log);
            steps++;
        }

        return steps;
    }

    private sealed class Log : IEngineObserver
    {
        public int Tokens { get; private set; }

        public void OnToken(EngineRequest request, double nowSeconds) => Tokens++;

        public void OnFinished(EngineRequest request, double nowSeconds)
        {
        }
    }
}
