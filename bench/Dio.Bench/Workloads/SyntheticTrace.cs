using Dio.Bench.Traces;

namespace Dio.Bench.Workloads;

/// <summary>One stretch of a synthetic arrival process: <paramref name="Seconds"/> long at a Poisson rate.</summary>
public readonly record struct RateSegment(double Seconds, double RequestsPerSecond);

/// <summary>
/// Builds a trace with seeded Poisson arrivals whose rate changes by segment (a steady load, a flood, a spike),
/// taking request lengths (and prefix hashes) from a real trace in its order, wrapping around when it runs out.
/// </summary>
public static class SyntheticTrace
{
    public static IReadOnlyList<TraceRequest> Poisson(IReadOnlyList<TraceRequest> mix, IReadOnlyList<RateSegment> segments, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfZero(mix.Count);
        var random = new Random(seed);
        var requests = new List<TraceRequest>();
        var segmentStart = 0.0;
        foreach (var segment in segments)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(segment.RequestsPerSecond);
            var end = segmentStart + segment.Seconds;
            var now = segmentStart;
            while (segment.RequestsPerSecond > 0)
            {
                now += NextGap(random, segment.RequestsPerSecond);
                if (now >= end)
                {
                    break;
                }

                var source = mix[requests.Count % mix.Count];
                requests.Add(source with { ArrivalSeconds = now });
            }

            segmentStart = end;
        }

        return requests;
    }

    /// <summary>The next gap of a Poisson process: exponential with mean 1/<paramref name="rate"/>, seconds.</summary>
    public static double NextGap(Random random, double rate) => -Math.Log(1 - random.NextDouble()) / rate;

    /// <summary>The trace's mean arrival rate, requests per second.</summary>
    public static double MeanRate(IReadOnlyList<TraceRequest> trace) =>
        trace.Count < 2 ? 0 : (trace.Count - 1) / Math.Max(1e-9, trace[^1].ArrivalSeconds - trace[0].ArrivalSeconds);
}
