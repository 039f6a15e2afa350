using Dio.Bench.Traces;
using Dio.Emulator.Engine.Engine;
using Dio.Emulator.Engine.Hardware;

namespace Dio.Bench.Workloads;

/// <summary>
/// How many requests per second a fleet can complete at best for a given request mix: each GPU's engine is kept
/// busy with the mix's requests, in trace order, and its completions per second after a warm-up are summed over
/// the fleet. Requests are let in only while the KV cache can hold every admitted request to its full length
/// (clairvoyant admission, so no preemption wastes work), with a few waiting so every step fills its batch.
/// This is throughput at unbounded queueing delay, not at any latency objective: "2× capacity" is a load no
/// router can serve whole.
/// </summary>
public static class FleetCapacity
{
    private const int Warmup = 100;
    private const int Measured = 400;

    public sealed record Result(string Cluster, double RequestsPerSecond, IReadOnlyDictionary<string, double> PerGpu);

    public static Result Measure(string cluster, IReadOnlyList<TraceRequest> mix, int maxModelLen, bool prefixCaching = false)
    {
        var perGpu = new Dictionary<string, double>();
        var total = 0.0;
        foreach (var gpu in FleetSpec.Parse(cluster))
        {
            if (!perGpu.TryGetValue(gpu.Name, out var rate))
            {
                rate = perGpu[gpu.Name] = Math.Round(Saturate(gpu, mix, maxModelLen, prefixCaching), 3);
            }

            total += rate;
        }

        return new Result(cluster, Math.Round(total, 3), perGpu);
    }

    /// <summary>Each GPU's saturated generation tokens/s on this mix: what an operator measures to configure SMG's
    /// <c>default_throughput</c>.</summary>
    public static IReadOnlyDictionary<string, double> GenerationThroughput(string cluster, IReadOnlyList<TraceRequest> mix, int maxModelLen,
        bool prefixCaching = false)
    {
        var meanOutput = mix.Count == 0 ? 0 : mix.Average(r => r.OutputTokens);
        return Measure(cluster, mix, maxModelLen, prefixCaching).PerGpu.ToDictionary(p => p.Key, p => p.Value * meanOutput);
    }

    private static double Saturate(GpuProfile gpu, IReadOnlyList<TraceRequest> mix, int maxModelLen, bool prefixCaching)
    {
        var engine = new VllmEngine(new EngineOptions(gpu) { MaxModelLen = maxModelLen, PrefixCaching = prefixCaching });
        var limit = Math.Min(maxModelLen, engine.NumGpuBlocks * engine.Options.BlockSize);
        var fits = mix.Where(r => r.PromptTokens + r.OutputTokens <= limit).ToList();
        if (fits.Count == 0)
        {
            return 0;
        }

        var kvTokens = (long)engine.NumGpuBlocks * engine.Options.BlockSize;
        var counter = new CompletionCounter();
        var now = 0.0;
        var start = 0.0;
        var next = 0;
        while (counter.Finished < Warmup + Measured)
        {
            while (engine.Waiting < 4 && counter.Reserved + Length(fits[next % fits.Count]) <= kvTokens)
            {
                var request = fits[next % fits.Count];
                counter.Reserved += Length(request);
                engine.Add(new EngineRequest(next++, request.PromptTokens, request.OutputTokens, now, request.PrefixHashes));
            }

            now += engine.PlanStep();
            engine.CompleteStep(now, counter);
            if (counter.Finished == Warmup && start == 0)
            {
                start = now;
            }
        }

        return Measured / (now - start);
    }

    private static long Length(TraceRequest request) => request.PromptTokens + request.OutputTokens;

    private sealed class CompletionCounter : IEngineObserver
    {
        public int Finished { get; private set; }

        /// <summary>Full-length KV tokens of the requests in the engine.</summary>
        public long Reserved { get; set; }

        public void OnToken(EngineRequest request, double nowSeconds)
        {
        }

        public void OnFinished(EngineRequest request, double nowSeconds)
        {
            Finished++;
            Reserved -= request.PromptTokens + request.OutputTokens;
        }
    }
}
