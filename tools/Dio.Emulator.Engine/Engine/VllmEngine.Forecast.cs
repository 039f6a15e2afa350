namespace Dio.Emulator.Engine.Engine;

/// <summary>Clairvoyant what-if for the simulator's oracle policy: the true time to first token of a new request.</summary>
public sealed partial class VllmEngine
{
    private const int ForecastStepLimit = 20_000;

    /// <summary>
    /// Seconds from now until a request of this shape, added now, would get its first token: the engine is forked
    /// (noise off) and stepped forward with no further arrivals. +∞ when it would not start within the step limit.
    /// </summary>
    /// <param name="promptTokens">The probe's prompt.</param>
    /// <param name="outputTokens">The probe's true output length.</param>
    /// <param name="busyForSeconds">Time left on the step now in flight (0 when idle).</param>
    public double ForecastTimeToFirstToken(int promptTokens, int outputTokens, double busyForSeconds)
    {
        var fork = new VllmEngine(Options with { NoiseSigma = 0, NumGpuBlocks = NumGpuBlocks, PrefixCaching = false });
        foreach (var request in _running)
        {
            var copy = request.CloneForForecast();
            fork._running.Add(copy);
            fork.UsedBlocks += copy.Blocks;
        }

        for (var i = 0; i < _waiting.Count; i++)
        {
            fork._waiting.PushBack(_waiting[i].CloneForForecast());
        }

        if (StepInFlight)
        {
            // The batch in flight completes first; apply it to the fork so the fork starts from the next step.
            foreach (var (request, tokens) in _batch)
            {
                var copy = fork._running.Find(r => r.Id == request.Id);
                if (copy is not null)
                {
                    copy.Computed += tokens;
                    if (copy.Computed >= copy.Length)
                    {
                        copy.Generated++;
                    }
                }
            }
        }

        var probe = new EngineRequest(long.MinValue, promptTokens, outputTokens, 0);
        fork._waiting.PushBack(probe);
        var elapsed = busyForSeconds;
        var observer = NullObserver.Instance;
        for (var step = 0; step < ForecastStepLimit && probe.FirstTokenSeconds is null; step++)
        {
            var duration = fork.PlanStep();
            if (duration <= 0)
            {
                return double.PositiveInfinity;
            }

            elapsed += duration;
            fork.CompleteStep(elapsed, observer);
        }

        return probe.FirstTokenSeconds is null ? double.PositiveInfinity : elapsed;
    }

    private sealed class NullObserver : IEngineObserver
    {
        public static readonly NullObserver Instance = new();

        public void OnToken(EngineRequest request, double nowSeconds)
        {
        }

        public void OnFinished(EngineRequest request, double nowSeconds)
        {
        }
    }
}
