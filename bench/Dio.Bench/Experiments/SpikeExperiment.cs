using Dio.Bench.Reports;
using Dio.Bench.Simulation;
using Dio.Bench.Traces;
using Dio.Bench.Workloads;

namespace Dio.Bench.Experiments;

/// <summary>
/// T5: a steady Poisson load, then a sudden burst at 10× that rate, then the steady load again. Each policy's
/// requests are bucketed by arrival time; the timeline shows the p99 TTFT of each bucket and how many were shed,
/// and "recovered after" is how long after the burst ends the bucket p99 is back within 1.5× of its pre-burst
/// value (at least the SLO) and stays there for three buckets in a row.
/// </summary>
public static class SpikeExperiment
{
    public const double BucketSeconds = 5;

    public sealed record Settings(double SteadyRps, double BurstFactor = 10, double BeforeSeconds = 120, double BurstSeconds = 10,
        double AfterSeconds = 170, int Seed = 1)
    {
        public double BurstStart => BeforeSeconds;

        public double BurstEnd => BeforeSeconds + BurstSeconds;
    }

    public sealed record Bucket(double StartSeconds, int Arrived, int Shed, double TtftP99Ms);

    public sealed record Row(string Policy, double PreBurstP99Ms, double WorstBucketP99Ms, int ShedDuringBurst, int ShedAfterBurst,
        long Preemptions, double? RecoveredAfterSeconds, double SloAttainment, IReadOnlyList<Bucket> Timeline);

    public static IReadOnlyList<Row> Run(IReadOnlyList<TraceRequest> mix, string cluster, IReadOnlyList<string> policies, Settings settings,
        double sloMs)
    {
        var trace = SyntheticTrace.Poisson(mix,
            [new(settings.BeforeSeconds, settings.SteadyRps), new(settings.BurstSeconds, settings.SteadyRps * settings.BurstFactor),
             new(settings.AfterSeconds, settings.SteadyRps)], settings.Seed);
        return LoadSweep.Run(trace, cluster, LoadSweep.Grid(policies, [1.0], s => s with { Seed = settings.Seed, SloMs = sloMs }),
            (simulation, result) => Summarize(result.Policy, simulation.Records(), result, settings, sloMs));
    }

    private static Row Summarize(string policy, IReadOnlyList<RequestRecord> records, SimulationResult result, Settings settings, double sloMs)
    {
        var end = settings.BurstEnd + settings.AfterSeconds;
        var timeline = new List<Bucket>();
        for (var start = 0.0; start < end; start += BucketSeconds)
        {
            var inBucket = records.Where(r => r.ArrivalSeconds >= start && r.ArrivalSeconds < start + BucketSeconds).ToList();
            var ttfts = inBucket.Where(r => r.TtftMs is not null).Select(r => r.TtftMs!.Value).Order().ToList();
            timeline.Add(new Bucket(start, inBucket.Count, inBucket.Count(r => r.Shed), Percentiles.Of(ttfts, 99)));
        }

        var before = records.Where(r => r.ArrivalSeconds < settings.BurstStart && r.TtftMs is not null).Select(r => r.TtftMs!.Value).Order().ToList();
        var preBurst = Percentiles.Of(before, 99);
        var bound = Math.Max(1.5 * preBurst, sloMs);
        double? recovered = null;
        var after = timeline.Where(b => b.StartSeconds >= settings.BurstEnd).ToList();
        for (var i = 0; i + 2 < after.Count; i++)
        {
            if (after.Skip(i).Take(3).All(b => b.TtftP99Ms <= bound && b.Shed == 0))
            {
                recovered = after[i].StartSeconds - settings.BurstEnd;
                break;
            }
        }

        bool InBurst(RequestRecord r) => r.ArrivalSeconds >= settings.BurstStart && r.ArrivalSeconds < settings.BurstEnd;
        return new Row(policy, preBurst, timeline.Max(b => double.IsNaN(b.TtftP99Ms) ? 0 : b.TtftP99Ms),
            records.Count(r => r.Shed && InBurst(r)), records.Count(r => r.Shed && r.ArrivalSeconds >= settings.BurstEnd),
            result.Preemptions, recovered, result.SloAttainment, timeline);
    }

    public static string Render(IReadOnlyList<Row> rows) => Markdown.Table(
        ["policy", ">p99 TTFT before", ">worst 5 s bucket p99", ">shed in burst", ">shed after", ">preemptions", ">recovered after", ">SLO overall"],
        rows.Select(row => new[]
        {
            $"`{row.Policy}`", Markdown.Ms(row.PreBurstP99Ms), Markdown.Ms(row.WorstBucketP99Ms), $"{row.ShedDuringBurst}", $"{row.ShedAfterBurst}",
            $"{row.Preemptions}", row.RecoveredAfterSeconds is { } s ? Markdown.Number(s) + " s" : "not in the run", Markdown.Percent(row.SloAttainment),
        }));

    public static SvgLineChart Plot(IReadOnlyList<Row> rows, Settings settings) =>
        rows.Aggregate(new SvgLineChart($"T5: 10× burst at {Markdown.Number(settings.BurstStart)}–{Markdown.Number(settings.BurstEnd)} s",
                "arrival time (s, 5 s buckets)", "p99 TTFT (ms)", logY: true),
            (chart, row) => chart.Add(row.Policy, [.. row.Timeline.Select(b => (b.StartSeconds, b.TtftP99Ms))]));
}
