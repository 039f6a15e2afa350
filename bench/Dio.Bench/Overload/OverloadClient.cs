using System.Net;
using System.Net.Http.Json;

namespace Dio.Bench.Overload;

/// <summary>
/// One client of the overload: back to back, alternately streamed and not, one request in ten abandoned. After a
/// 503 it tries again in 0.1–0.3 s, sooner than Retry-After asks: the point is to keep the overload outstanding.
/// </summary>
internal sealed class OverloadClient(HttpClient http, Uri gateway, string model, int seed)
{
    public const int PromptTokens = 6000;
    public const int MaxTokens = 1000;
    private static readonly string Prompt = new('x', PromptTokens * 4);   // the emulated tokenizer counts 4 bytes a token
    private readonly Random _random = new(seed);

    public async Task RunAsync(OverloadTally tally, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var stream = (n + seed) % 2 == 0;
            var abandon = _random.NextDouble() < 0.1;
            using var walkAway = new CancellationTokenSource();
            if (abandon)
            {
                walkAway.CancelAfter(TimeSpan.FromMilliseconds(_random.Next(1, 2000)));
            }

            var outcome = await SendAsync(stream, walkAway.Token);
            tally.Record(outcome);
            if (outcome is OverloadTally.Outcome.Shed or OverloadTally.Outcome.ShedWithoutRetryAfter)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_random.Next(100, 300)), CancellationToken.None);
            }
        }
    }

    private async Task<OverloadTally.Outcome> SendAsync(bool stream, CancellationToken walkAway)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "/v1/completions"))
        {
            Content = JsonContent.Create(new { model, prompt = Prompt, max_tokens = MaxTokens, stream }),
        };
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, walkAway);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return response.Headers.RetryAfter is null ? OverloadTally.Outcome.ShedWithoutRetryAfter : OverloadTally.Outcome.Shed;
            }

            if ((int)response.StatusCode >= 500)
            {
                return OverloadTally.Outcome.Other5xx;
            }

            if (!response.IsSuccessStatusCode)
            {
                return OverloadTally.Outcome.Client4xx;
            }

            var body = await response.Content.ReadAsStringAsync(walkAway);
            return !stream || (body.EndsWith("data: [DONE]\n\n", StringComparison.Ordinal) && !body.Contains("\"error\"", StringComparison.Ordinal))
                ? OverloadTally.Outcome.Completed
                : OverloadTally.Outcome.Broken;
        }
        catch (OperationCanceledException) when (walkAway.IsCancellationRequested)
        {
            return OverloadTally.Outcome.Abandoned;
        }
        catch (HttpRequestException)
        {
            return OverloadTally.Outcome.TransportError;
        }
    }
}
