using Dio.Bench.Traces;
using Dio.Emulator.Engine.Engine;
using Dio.Emulator.Engine.Hardware;
using Dio.Grains;
using Dio.Grains.Routing;
using Dio.Grains.Scheduling;

namespace Dio.Bench.Experiments;

/// <summary>
/// The paper's T1, measured: how fast a cold worker grain learns its GPU. For each GPU profile, one emulated engine
/// and its worker grain start with no knowledge (the generic prior); trace requests are served one at a time, and
/// each request's TTFT prediction (made at dispatch, before it is learned from) is compared with what the engine did.
/// </summary>
public static class ConvergenceExperiment
{
    /// <summary>Per-request absolute percentage error of the TTFT prediction, in serving order.</summary>
    public sealed record Series(string Gpu, IReadOnlyList<double> TtftErrors)
    {
        /// <summary>Requests served until the rolling mean error (window 10) first reaches <paramref name="threshold"/>; −1 if never.
        /// Per-request relative error is heavy-tailed (a 3-token prompt's TTFT is one short step), so "stays below" would
        /// measure the tail, not the learning.</summary>
        public int RequestsUntil(double threshold)
        {
            var rolling = Rolling(10);
            for (var i = 0; i < rolling.Count; i++)
            {
                if (rolling[i] <= threshold)
                {
                    return i + 10;
                }
            }

            return -1;
        }

        public IReadOnlyList<double> Rolling(int window) =>
            [.. Enumerable.Range(0, Math.Max(0, TtftErrors.Count - window + 1)).Select(i => TtftErrors.Skip(i).Take(window).Average())];
    }

    public static Series Run(GpuProfile gpu, IReadOnlyList<TraceRequest> trace, int requests, int seed = 1)
    {
        var clock = new Simulation.SimulationClock();
        var fleet = new InProcessPool("m", new SchedulerOptions { Policy = "dio", ShedWhenPredictedOverSlo = false }, clock);
        var engine = new VllmEngine(new EngineOptions(gpu) { Seed = seed });
        var id = gpu.Name.ToLowerInvariant();
        fleet.Register(new WorkerRegistration(id, $"sim://{id}", "m", gpu.Name, 8192, engine.NumGpuBlocks, 16, engine.Options.ResolvedMaxNumSeqs, "small"));
        var router = fleet.Pool;
        var observer = new FirstToken();
        var errors = new List<double>();
        foreach (var item in trace.Where(t => t.PromptTokens + t.OutputTokens < 8192).Take(requests))
        {
            var outcome = router.TryRoute(new RouteRequest("m", item.PromptTokens, 0, 0));
            var request = new EngineRequest(errors.Count, item.PromptTokens, item.OutputTokens, clock.NowSeconds);
            engine.Add(request);
            var dispatched = clock.NowSeconds;
            while (!request.IsFinished)
            {
                clock.NowSeconds += engine.PlanStep();
                engine.CompleteStep(clock.NowSeconds, observer);
            }

            var ttftMs = (request.FirstTokenSeconds!.Value - dispatched) * 1000;
            errors.Add(Math.Abs(outcome.PredictedTtftMs - ttftMs) / ttftMs);
            fleet.Complete(new CompletionReport(id, outcome.LeaseId, CompletionKind.Success, ttftMs,
                (request.FinishedSeconds!.Value - dispatched) * 1000, item.PromptTokens, item.OutputTokens));
        }

        return new Series(gpu.Name, errors);
    }

    public static string Render(IReadOnlyList<Series> series) => Reports.Markdown.Table(
        ["GPU", ">error, first 10", ">requests 41–50", ">last 50", ">rolling mean ≤ 20% after", ">≤ 10% after"],
        series.Select(s => new[]
        {
            s.Gpu, Reports.Markdown.Percent(s.TtftErrors.Take(10).Average()), Reports.Markdown.Percent(s.TtftErrors.Skip(40).Take(10).Average()),
            Reports.Markdown.Percent(s.TtftErrors.TakeLast(50).Average()), Until(s, 0.20), Until(s, 0.10),
        }));

    public static Reports.SvgLineChart Plot(IReadOnlyList<Series> series) => series.Aggregate(
        new Reports.SvgLineChart("T1: TTFT prediction error from a cold start (rolling mean of 10)", "requests served", "|error| / actual", logY: true),
        (chart, s) => chart.Add(s.Gpu, [.. s.Rolling(10).Select((e, i) => ((double)(i + 10), e))]));

    private static string Until(Series s, double threshold) => s.RequestsUntil(threshold) is var n and >= 0 ? $"{n}" : "not reached";

    private sealed class FirstToken : IEngineObserver
    {
        public void OnToken(EngineRequest request, double nowSeconds)
        {
        }

        public void OnFinished(EngineRequest request, double nowSeconds)
        {
        }
    }
}
