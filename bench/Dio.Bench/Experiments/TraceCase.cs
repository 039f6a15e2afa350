using Dio.Bench.Traces;
using Dio.Bench.Workloads;

namespace Dio.Bench.Experiments;

/// <summary>
/// One trace of the evaluation and how it is replayed. Time-stamped traces (Azure, Mooncake) keep their arrivals and
/// load k replays them k× faster. Length-only traces (ShareGPT, arXiv) get seeded Poisson arrivals at 1/8 of the
/// fleet's saturated capacity for that mix, so load 1–8 spans light load to capacity.
/// </summary>
public sealed record TraceCase(string Key, string Title, string FileName, string Cluster, IReadOnlyList<double> Loads)
{
    public const double LengthOnlyShareOfCapacity = 1.0 / 8;

    public int MaxModelLen { get; init; } = 8192;

    public bool PrefixCaching { get; init; }

    public bool LengthOnly { get; init; }

    /// <summary>Replay only the first N requests (length-only traces are long and their order carries no time).</summary>
    public int? Limit { get; init; }

    public PreparedTrace Prepare(string tracesDirectory, int seed)
    {
        var path = Path.Combine(tracesDirectory, FileName);
        var mix = TraceReader.Read(path, seed: seed);
        var capacity = FleetCapacity.Measure(Cluster, mix, MaxModelLen, PrefixCaching);
        var requests = LengthOnly ? TraceReader.Read(path, capacity.RequestsPerSecond * LengthOnlyShareOfCapacity, seed) : mix;
        if (Limit is { } limit && requests.Count > limit)
        {
            requests = [.. requests.Take(limit)];
        }

        return new PreparedTrace(this, requests, capacity, SyntheticTrace.MeanRate(requests));
    }
}

/// <summary>A trace read and placed on its fleet: its requests, the fleet's capacity for its mix and its rate at load 1.</summary>
public sealed record PreparedTrace(TraceCase Case, IReadOnlyList<TraceRequest> Requests, FleetCapacity.Result Capacity, double Load1Rps)
{
    public double ShareOfCapacity(double load) => Load1Rps * load / Capacity.RequestsPerSecond;
}
