using System.Diagnostics;
using Dio.Bench.Benchmarks;
using Dio.Bench.Reports;

namespace Dio.Bench.Experiments;

/// <summary>
/// T7: what one routing decision costs as the pool grows, and how many decisions per second one silo sustains.
/// Cost is the median over batches of the whole hot path (decide, reserve, release) on one thread; throughput
/// runs the same path from every core at once against one pool, so it includes contention for the pool's turn.
/// BenchmarkDotNet's figures (docs/results.md §1) are the rigorous single-decision numbers; this experiment is the
/// same code measured in the report's one run, so the columns compare with each other.
/// </summary>
internal static class ScalabilityExperiment
{
    private const int Batches = 9;

    public sealed record Row(int Workers, string Policy, double DecideNs, double RouteNs, double DecisionsPerSecond, int Threads, long AllocatedBytesPerDecision);

    public static IReadOnlyList<Row> Run(IReadOnlyList<int> sizes, IReadOnlyList<string> policies, double secondsPerMeasurement = 0.4)
    {
        var rows = new List<Row>();
        foreach (var policy in policies)
        {
            // Warm-up: the first size measured would otherwise run on tier-0 JIT code.
            var warm = WarmPool.Build(sizes[0], policy);
            MedianNanoseconds(() => WarmPool.RouteAndRelease(warm), 1.0);
            MedianNanoseconds(() => warm.DecideWithoutLeasing(WarmPool.CountedRequest), 1.0);

            foreach (var workers in sizes)
            {
                var router = WarmPool.Build(workers, policy);
                var decide = MedianNanoseconds(() => router.DecideWithoutLeasing(WarmPool.CountedRequest), secondsPerMeasurement);
                var route = MedianNanoseconds(() => WarmPool.RouteAndRelease(router), secondsPerMeasurement);
                var allocated = AllocatedPerCall(() => WarmPool.RouteAndRelease(router));
                var threads = Environment.ProcessorCount;
                rows.Add(new Row(workers, policy, decide, route, Throughput(router, threads, secondsPerMeasurement * 2), threads, allocated));
            }
        }

        return rows;
    }

    private static double MedianNanoseconds<T>(Func<T> call, double seconds)
    {
        // Calibrate a batch to ~1/Batches of the budget, then time Batches batches.
        var perBatch = 1;
        for (var watch = Stopwatch.StartNew(); watch.Elapsed.TotalSeconds < seconds / Batches / 4; perBatch *= 2)
        {
            watch.Restart();
            for (var i = 0; i < perBatch; i++)
            {
                call();
            }
        }

        var samples = new double[Batches];
        for (var b = 0; b < Batches; b++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < perBatch; i++)
            {
                call();
            }

            samples[b] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / perBatch;
        }

        Array.Sort(samples);
        return samples[Batches / 2];
    }

    private static long AllocatedPerCall<T>(Func<T> call)
    {
        const int calls = 10_000;
        call();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            call();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }

    private static double Throughput(Grains.Routing.RoutingPool router, int threads, double seconds)
    {
        var counts = new long[threads];
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var wall = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            long done = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                WarmPool.RouteAndRelease(router);
                done++;
            }

            counts[t] = done;
        });
        return counts.Sum() / wall.Elapsed.TotalSeconds;
    }

    public static string Render(IReadOnlyList<Row> rows) => Markdown.Table(
        ["policy", ">workers", ">decide", ">route + release", ">per worker", ">decisions/s (all cores, one pool)", ">allocated"],
        rows.Select(r => new[]
        {
            $"`{r.Policy}`", $"{r.Workers:N0}", Us(r.DecideNs), Us(r.RouteNs), Markdown.Number(r.RouteNs / r.Workers, "0") + " ns",
            Markdown.Number(r.DecisionsPerSecond, "#,0") + $" ({r.Threads} threads)", $"{r.AllocatedBytesPerDecision} B",
        }));

    public static SvgLineChart Plot(IReadOnlyList<Row> rows) => rows.GroupBy(r => r.Policy).Aggregate(
        new SvgLineChart("T7: cost of one routing decision (decide + lease + release)", "workers in the pool", "µs per decision"),
        (chart, g) => chart.Add(g.Key, [.. g.Select(r => ((double)r.Workers, r.RouteNs / 1000))]));

    private static string Us(double ns) => Markdown.Number(ns / 1000, ns < 10_000 ? "0.00" : "0.0") + " µs";
}
