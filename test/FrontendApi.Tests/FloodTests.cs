using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dio.FrontendApi.Tests;

/// <summary>Two L4s at 50× speed: small enough that a modest flood is several times what fits in their KV caches.</summary>
public sealed class SmallFleetFixture : GatewayFixture
{
    protected override string Fleet => "2xL4";

    protected override double TimeScale => 50;
}

/// <summary>Overload is shed cleanly, not pushed into vLLM to thrash.</summary>
public sealed class FloodTests(SmallFleetFixture gateway) : IClassFixture<SmallFleetFixture>
{
    [Fact]
    public async Task FloodAtThreeTimesCapacity_ShedsWithRetryAfter_NoPreemption_EveryAdmittedRequestCompletes()
    {
        // ≈ 6,000 prompt tokens + 1,000 output tokens = 438 blocks, ×1.2 safety = 525: an L4's 2,405 blocks (less 5%
        // headroom) hold 4, so the fleet holds 8 at once. 24 at once is 3× that.
        const int Requests = 24;
        const int MaxTokens = 1000;
        var prompt = new string('x', 24_000);
        var calls = Enumerable.Range(0, Requests).Select(_ => gateway.Http.PostAsJsonAsync(new Uri(gateway.Url, "/v1/chat/completions"), new
        {
            model = GatewayFixture.Model, messages = new[] { new { role = "user", content = prompt } }, max_tokens = MaxTokens,
        })).ToList();
        var responses = await Task.WhenAll(calls);

        var admitted = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        var shed = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.Equal(Requests, admitted.Count + shed.Count);   // nothing else: no 5xx but sheds, no 4xx
        Assert.NotEmpty(shed);
        Assert.NotEmpty(admitted);
        foreach (var response in shed)
        {
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "every shed carries Retry-After");
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("server_overloaded", error.GetProperty("type").GetString());
        }

        foreach (var response in admitted)
        {
            var usage = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
            Assert.Equal(MaxTokens, usage.GetProperty("completion_tokens").GetInt32());   // admitted means served to the end
        }

        foreach (var worker in gateway.Workers)
        {
            var metrics = await gateway.Http.GetStringAsync(new Uri(worker.Emulator, "/metrics"));
            var preemptions = metrics.Split('\n').Single(l => l.StartsWith("vllm:num_preemptions_total{", StringComparison.Ordinal)).Split(' ')[^1];
            Assert.Equal("0", preemptions);
        }
    }
}
