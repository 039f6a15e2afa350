using System.Net;
using System.Net.Http.Json;
using Dio.FrontendApi.Tests.Support;

namespace Dio.FrontendApi.Tests.Metrics;

/// <summary>
/// The demo gateway after the traffic its dashboard shows: streamed answers from every worker (so that each has TTFT
/// and TPOT histograms), and one request shed for an objective no worker meets. Every worker grain has recorded its
/// completions before the tests start.
/// </summary>
public sealed class TrafficFixture : GatewayFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var served = new HashSet<string>(StringComparer.Ordinal);

        // Concurrent requests spread over the workers: the load of one raises its predicted wait above another's.
        await WaitUntilAsync(async () =>
        {
            foreach (var worker in await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => StreamAsync())))
            {
                served.Add(worker);
            }

            return served.Count == Workers.Count;
        }, "every worker served a streamed answer", seconds: 60);

        using var shed = new HttpRequestMessage(HttpMethod.Post, new Uri(Url, "/v1/completions"))
        {
            Content = JsonContent.Create(new { model = Model, prompt = new string('x', 16_000), max_tokens = 1 }),
        };
        shed.Headers.Add("X-Dio-Ttft-Slo-Ms", "1");
        using var refused = await Http.SendAsync(shed);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);   // slo_unattainable: a Shed verdict, answered 400

        // Worker grains record a completion two one-way messages after it (gateway → router → worker).
        await WaitUntilAsync(async () =>
        {
            var metrics = await PrometheusText.ScrapeAsync(Http, Url);
            return Workers.All(w => metrics.Value("dio_worker_ttft_seconds_count", ("worker", w.WorkerId)) >= 1);
        }, "every worker grain recorded a completion");
    }

    /// <summary>One streamed chat answer read to its end; returns the worker that served it.</summary>
    private async Task<string> StreamAsync()
    {
        using var response = await Http.PostAsJsonAsync(new Uri(Url, "/v1/chat/completions"), new
        {
            model = Model, messages = new[] { new { role = "user", content = "spread the load" } }, max_tokens = 16, stream = true,
        });
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsStringAsync();
        return response.Headers.GetValues("X-Dio-Worker").Single();
    }
}
