using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dio.Bench.Metrics;
using Dio.Bench.Simulation;
using Dio.Bench.Traces;

namespace Dio.Bench.Replay;

/// <summary>
/// Replays a trace over HTTP as an open loop: each request is sent at its (time-scaled) arrival time whatever
/// happened to the others, streamed, and classified by what the client saw. Prompts are distinct random text of
/// the trace's length (the emulated tokenizer counts 4 bytes a token), so no two requests share a prefix.
/// Latencies are reported in the fleet's time (wall time × time scale), so they compare with the simulator's.
/// </summary>
internal static class TraceReplayer
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public sealed record Result(string Target, int Sent, int Completed, int Shed, int ShedWithoutRetryAfter, int Other5xx, int Client4xx,
        int TransportErrors, double TtftP50Ms, double TtftP99Ms, double E2eP99Ms, double SloAttainment, double WallSeconds)
    {
        public long Preemptions { get; init; }

        /// <summary>Completions within the objective per second of offered trace (fleet time).</summary>
        public double GoodputRps { get; init; }

        /// <summary>p99 TTFT over everything sent, a request that did not complete counting as +∞.</summary>
        public double TtftP99OfferedMs { get; init; }

        /// <summary>Completed / sent.</summary>
        public double AdmittedFraction { get; init; }

        /// <summary>p99 TTFT of the fastest share every target of the run admitted (see <see cref="ServiceLevel.P99AtAdmittedFraction"/>).</summary>
        public double TtftP99EqualAdmittedMs { get; init; }

        [System.Text.Json.Serialization.JsonIgnore]
        public ServiceLevel? Level { get; init; }
    }

    private readonly record struct Outcome(HttpStatusCode? Status, bool RetryAfter, double TtftMs, double E2eMs);

    public static async Task<Result> RunAsync(string target, Uri url, string model, IReadOnlyList<TraceRequest> trace, double load, double timeScale,
        double sloMs, int seed)
    {
        var text = RandomText(64 * 1024, seed);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var origin = trace[0].ArrivalSeconds;
        var started = Stopwatch.GetTimestamp();
        var sends = new List<Task<Outcome>>(trace.Count);
        for (var i = 0; i < trace.Count; i++)
        {
            var due = TimeSpan.FromSeconds((trace[i].ArrivalSeconds - origin) / load / timeScale) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var request = trace[i];
            var chars = Math.Min(request.PromptTokens * 4, text.Length);
            var offset = (int)((long)i * 7919 % (text.Length - chars + 1));
            sends.Add(SendAsync(http, url, new { model, prompt = text.Substring(offset, chars), max_tokens = request.OutputTokens, stream = true }, timeScale));
        }

        var outcomes = await Task.WhenAll(sends);
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var completed = outcomes.Where(o => o.Status == HttpStatusCode.OK && o.E2eMs > 0).ToList();
        var ttft = completed.Select(o => o.TtftMs).Order().ToList();
        var e2e = completed.Select(o => o.E2eMs).Order().ToList();
        var shed = outcomes.Count(o => o.Status == HttpStatusCode.ServiceUnavailable);
        // The same judgement as the simulator's: over everything offered, in fleet time.
        var offeredSeconds = (trace[^1].ArrivalSeconds - origin) / load;
        var level = ServiceLevel.Of(outcomes.Select(o => o.Status == HttpStatusCode.OK && o.E2eMs > 0 ? o.TtftMs : (double?)null), sloMs, offeredSeconds);
        return new Result(target, outcomes.Length, completed.Count, shed,
            outcomes.Count(o => o.Status == HttpStatusCode.ServiceUnavailable && !o.RetryAfter),
            outcomes.Count(o => (int?)o.Status >= 500 && o.Status != HttpStatusCode.ServiceUnavailable),
            outcomes.Count(o => (int?)o.Status is >= 400 and < 500),
            outcomes.Count(o => o.Status is null || (o.Status == HttpStatusCode.OK && o.E2eMs <= 0)),
            Percentiles.Of(ttft, 50), Percentiles.Of(ttft, 99), Percentiles.Of(e2e, 99),
            level.SloAttainment, Math.Round(wall, 1))
        {
            Level = level, GoodputRps = Math.Round(level.GoodputRps, 4), TtftP99OfferedMs = level.TtftP99OfferedMs,
            AdmittedFraction = Math.Round(level.AdmittedFraction, 4),
        };
    }

    private static async Task<Outcome> SendAsync(HttpClient http, Uri url, object body, double timeScale)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "/v1/completions")) { Content = JsonContent.Create(body) };
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                await response.Content.ReadAsByteArrayAsync();
                return new Outcome(response.StatusCode, response.Headers.RetryAfter is not null, 0, 0);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            double? ttft = null;
            var sawDone = false;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                if (line == "data: [DONE]")
                {
                    sawDone = true;
                }
                else if (line.Contains("\"error\"", StringComparison.Ordinal))
                {
                    return new Outcome(response.StatusCode, false, 0, 0);   // a stream that failed after its headers
                }
                else
                {
                    ttft ??= Stopwatch.GetElapsedTime(start).TotalMilliseconds * timeScale;
                }
            }

            var e2e = Stopwatch.GetElapsedTime(start).TotalMilliseconds * timeScale;
            return sawDone && ttft is not null ? new Outcome(response.StatusCode, false, ttft.Value, e2e) : new Outcome(response.StatusCode, false, 0, 0);
        }
        catch (HttpRequestException)
        {
            return new Outcome(null, false, 0, 0);
        }
        catch (IOException)
        {
            return new Outcome(null, false, 0, 0);
        }
    }

    private static string RandomText(int length, int seed)
    {
        var random = new Random(seed);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });
    }
}
