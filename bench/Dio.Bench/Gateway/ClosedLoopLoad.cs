using System.Diagnostics;
using System.Net.Http.Json;

namespace Dio.Bench.Gateway;

/// <summary>A closed-loop load: <c>concurrency</c> clients, each sending its next request when the last one answered.</summary>
internal static class ClosedLoopLoad
{
    public sealed record Result(string Target, int Requests, int Failures, double P50Ms, double P99Ms, double RequestsPerSecond);

    public static async Task<Result> RunAsync(string target, Uri url, int concurrency, int requestsPerClient, string model)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2, UseProxy = false });
        var body = new { model, prompt = "hello", max_tokens = 1 };

        // Warm-up: connections, JIT, the router's first learning.
        for (var i = 0; i < 50; i++)
        {
            using var warm = await http.PostAsJsonAsync(new Uri(url, "/v1/completions"), body);
        }

        var latencies = new double[concurrency][];
        var failures = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async client =>
        {
            var mine = latencies[client] = new double[requestsPerClient];
            for (var i = 0; i < requestsPerClient; i++)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync(new Uri(url, "/v1/completions"), body);
                await response.Content.ReadAsByteArrayAsync();
                mine[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        wall.Stop();

        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Result(target, all.Count, failures, Simulation.Percentiles.Of(all, 50), Simulation.Percentiles.Of(all, 99),
            all.Count / wall.Elapsed.TotalSeconds);
    }
}
