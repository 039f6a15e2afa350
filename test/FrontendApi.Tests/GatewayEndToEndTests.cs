using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Dio.FrontendApi.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace Dio.FrontendApi.Tests;

/// <summary>The gateway end to end with the official OpenAI .NET client and raw HTTP.</summary>
[Collection(MetricsReaders.Name)]
public sealed class GatewayEndToEndTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Chat_NonStreaming_OpenAiClient_GetsContentAndUsage()
    {
        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("Write a haiku about GPUs.")],
            new ChatCompletionOptions { MaxOutputTokenCount = 6 });

        Assert.Equal(" lorem ipsum dolor sit amet consectetur", completion.Content[0].Text);
        Assert.Equal(6, completion.Usage.OutputTokenCount);
        Assert.Equal(14, completion.Usage.InputTokenCount);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
    }

    [Fact]
    public async Task Chat_Streaming_OpenAiClient_GetsTokensAndUsage()
    {
        var text = new List<string>();
        ChatTokenUsage? usage = null;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Stream please.")],
            new ChatCompletionOptions { MaxOutputTokenCount = 7 }))
        {
            text.AddRange(update.ContentUpdate.Select(c => c.Text));
            usage ??= update.Usage;
        }

        Assert.Equal(" lorem ipsum dolor sit amet consectetur adipiscing", string.Concat(text));
        Assert.NotNull(usage);
        Assert.Equal(7, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Streaming_WithoutIncludeUsage_UsageChunkStripped_YetTheWorkerLearned()
    {
        var before = await TotalObservationsAsync();
        using var response = await PostAsync("/v1/completions", new { model = GatewayFixture.Model, prompt = "hello there", max_tokens = 4, stream = true });
        var events = new List<string>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(item.Data);
        }

        Assert.Equal(5, events.Count);   // 4 tokens + [DONE]: no usage chunk, as the client asked for none
        Assert.DoesNotContain(events, e => e.Contains("\"usage\"", StringComparison.Ordinal));
        await GatewayFixture.WaitUntilAsync(async () => await TotalObservationsAsync() > before, "the completion reached the worker grain");
    }

    private async Task<long> TotalObservationsAsync() => (await gateway.WorkersAsync()).Sum(w => w.GetProperty("observations").GetInt64());

    [Fact]
    public async Task EveryAnswer_NamesTheWorkerAndItsPredictedTtft()
    {
        using var response = await PostAsync("/v1/chat/completions", new
        {
            model = GatewayFixture.Model, messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 2,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("X-Dio-Worker").Single(), gateway.Workers.Select(w => w.WorkerId));
        Assert.True(double.Parse(response.Headers.GetValues("X-Dio-Predicted-Ttft-Ms").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task NeverFits_Is400WithVllmsMessage()
    {
        using var response = await PostAsync("/v1/completions", new { model = GatewayFixture.Model, prompt = new string('x', 4000), max_tokens = 8000 });
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");

        // The prompt's token count is the router's estimate (bytes/4, corrected online from usage), so read it back
        // from the message and check vLLM's wording and arithmetic around it.
        var match = System.Text.RegularExpressions.Regex.Match(error.GetProperty("message").GetString()!,
            @"^This model's maximum context length is 8192 tokens\. However, you requested (\d+) tokens \((\d+) in the messages, 8000 in the completion\)\. Please reduce the length of the messages or completion\.$");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.True(match.Success, error.GetProperty("message").GetString());
        Assert.Equal(int.Parse(match.Groups[2].Value) + 8000, int.Parse(match.Groups[1].Value));
        Assert.InRange(int.Parse(match.Groups[2].Value), 900, 1150);   // 4,000 bytes ≈ 1,000 tokens
    }

    [Fact]
    public async Task Models_ListsTheServedModel()
    {
        var models = await gateway.Http.GetFromJsonAsync<JsonElement>(new Uri(gateway.Url, "/v1/models"));

        Assert.Equal(GatewayFixture.Model, models.GetProperty("data")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task ControlApi_WithoutKey_Is401AndChangesNothing()
    {
        var before = (await gateway.WorkersAsync()).Count;

        using var register = await gateway.Http.PostAsJsonAsync(new Uri(gateway.Url, "/control/workers"), new
        {
            workerId = "intruder", endpoint = "http://127.0.0.1:1", model = GatewayFixture.Model, gpuProfile = "H100",
            maxModelLen = 8192, numGpuBlocks = 1000, blockSize = 16, maxNumSeqs = 256, tier = "small",
        });
        using var list = await gateway.Http.GetAsync(new Uri(gateway.Url, "/control/workers"));
        using var delete = await gateway.Http.DeleteAsync(new Uri(gateway.Url, "/control/workers/l4-1"));

        Assert.Equal(HttpStatusCode.Unauthorized, register.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        Assert.Equal(before, (await gateway.WorkersAsync()).Count);
    }

    [Fact]
    public async Task Metrics_InSeconds_PerPoolAndPerWorker_WithPrometheusNames()
    {
        using var response = await PostAsync("/v1/completions", new { model = GatewayFixture.Model, prompt = "count me", max_tokens = 4, stream = true });
        await response.Content.ReadAsStringAsync();
        var worker = gateway.Workers.Single(w => w.WorkerId == response.Headers.GetValues("X-Dio-Worker").Single());
        PrometheusText metrics = null!;
        // The worker grain records the completion two one-way messages later (gateway → router → worker), and a worker's
        // KV use is exported from its first engine reading on.
        await GatewayFixture.WaitUntilAsync(async () =>
        {
            metrics = await PrometheusText.ScrapeAsync(gateway.Http, gateway.Url);
            return metrics.Value("dio_worker_ttft_seconds_count", ("worker", worker.WorkerId)) >= 1
                && gateway.Workers.All(w => metrics.Value("dio_worker_kv_blocks_used", ("worker", w.WorkerId)) is not null);
        }, "the worker grain recorded the completion, and every worker has a reading");

        // OpenTelemetry's Prometheus exporter: counters end in _total, histograms carry their unit, seconds throughout.
        var model = ("model", GatewayFixture.Model);
        Assert.True(metrics.Value("dio_gateway_requests_total", model, ("outcome", "completed")) >= 1);
        Assert.True(metrics.Value("dio_gateway_ttft_seconds_bucket", model, ("le", "60")) >= 1);
        Assert.True(metrics.Value("dio_router_decisions_total", model, ("policy", "dio"), ("verdict", "Routed"), ("reason", "None")) >= 1);
        Assert.True(metrics.Value("dio_router_decision_duration_seconds_count", model) >= 1);
        var ttft = metrics.Series("dio_worker_ttft_seconds_sum", ("worker", worker.WorkerId)).Single();
        Assert.Equal(GatewayFixture.Model, ttft.Labels["model"]);
        Assert.Equal(worker.Gpu, ttft.Labels["gpu"]);
        Assert.InRange(ttft.Value / metrics.Value("dio_worker_ttft_seconds_count", ("worker", worker.WorkerId))!.Value, 1e-4, 10);   // seconds, not ms
        Assert.True(metrics.Value("dio_worker_predicted_ttft_seconds_count", ("worker", worker.WorkerId)) >= 1);
        Assert.True(metrics.Value("dio_worker_prediction_error_seconds_count", ("worker", worker.WorkerId)) >= 1);
        Assert.Contains("orleans_app_requests_latency_seconds_bucket", metrics.Names);   // Orleans' own, brought to seconds
        Assert.Contains("http_server_request_duration_seconds_bucket", metrics.Names);   // ASP.NET Core
        Assert.Contains("dotnet_gc_collections_total", metrics.Names);   // the runtime
        Assert.DoesNotContain(metrics.Names, name => name.Contains("milliseconds", StringComparison.Ordinal));
        foreach (var each in gateway.Workers)
        {
            var labels = new[] { ("worker", each.WorkerId), ("gpu", each.Gpu), model };
            Assert.True(metrics.Value("dio_worker_kv_blocks_capacity", labels) > 0, each.WorkerId);
            Assert.NotNull(metrics.Value("dio_worker_kv_blocks_used", labels));
            Assert.NotNull(metrics.Value("dio_worker_kv_blocks_reserved", labels));
            Assert.NotNull(metrics.Value("dio_worker_requests_in_flight", labels));
            Assert.Equal(1, metrics.Value("dio_worker_healthy", labels));
        }
    }

    [Fact]
    public async Task Metrics_AModelThatIsNotServed_IsCountedAsUnknown_NeverAsItsName()
    {
        using (await PostAsync("/v1/completions", new { model = "evil\\\"model\nname", prompt = "x", max_tokens = 1 }))
        {
        }

        var metrics = await gateway.Http.GetStringAsync(new Uri(gateway.Url, "/metrics"));

        Assert.Matches("""(?m)^dio_gateway_requests_total\{[^}]*model="unknown",outcome="model_not_found"\} [1-9]""", metrics);
        Assert.DoesNotContain("evil", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_LiveAndReady()
    {
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync(new Uri(gateway.Url, "/health/live"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync(new Uri(gateway.Url, "/health/ready"))).StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(string path, object body) =>
        gateway.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, path)) { Content = JsonContent.Create(body) },
            HttpCompletionOption.ResponseHeadersRead);

    [Fact]
    public async Task RequestId_TheClientsIsReturned_OneIsMadeWhenAbsent_AndABadOneIs400()
    {
        async Task<HttpResponseMessage> SendAsync(string? id)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, "/v1/completions"))
            {
                Content = JsonContent.Create(new { model = GatewayFixture.Model, prompt = "id?", max_tokens = 1 }),
            };
            if (id is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Request-Id", id);
            }

            return await gateway.Http.SendAsync(request);
        }

        using var given = await SendAsync("trace-42:a.b_c");
        using var made = await SendAsync(null);
        using var bad = await SendAsync("two words");

        Assert.Equal("trace-42:a.b_c", given.Headers.GetValues("X-Request-Id").Single());
        Assert.Matches("^[0-9a-f]{32}$", made.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("X-Request-Id", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").GetString());
    }

    private ChatClient Client() =>
        new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(gateway.Url, "/v1") }).GetChatClient(GatewayFixture.Model);
}
