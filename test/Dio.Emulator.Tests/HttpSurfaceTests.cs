using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Dio.Emulator.Tests;

/// <summary>vLLM's HTTP surface as a router or sidecar sees it: SSE framing, errors, /metrics, /tokenize, /v1/models.</summary>
public sealed class HttpSurfaceTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Completions_Streaming_EventsThenUsageThenDone()
    {
        using var response = await Post(0, "/v1/completions", new
        {
            model = EmulatorFixture.Model, prompt = "hello", max_tokens = 4, stream = true, stream_options = new { include_usage = true },
        });
        var events = new List<string>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(item.Data);
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(6, events.Count);   // 4 tokens, the usage chunk, [DONE]
        Assert.Equal("[DONE]", events[^1]);
        using var last = JsonDocument.Parse(events[3]);
        Assert.Equal("length", last.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        using var usage = JsonDocument.Parse(events[4]);
        Assert.Equal(0, usage.RootElement.GetProperty("choices").GetArrayLength());
        Assert.Equal(4, usage.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Completions_NoMaxTokens_StopsOnItsOwn()
    {
        using var response = await Post(0, "/v1/completions", new { model = EmulatorFixture.Model, prompt = "tell me more" });
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("stop", body.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.InRange(body.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 16, 255);
    }

    [Fact]
    public async Task ContextOverflow_VllmsExact400()
    {
        using var response = await Post(0, "/v1/completions", new { model = EmulatorFixture.Model, prompt = new string('x', 400), max_tokens = 8100 });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "{\"object\":\"error\",\"message\":\"This model's maximum context length is 8192 tokens. However, you requested 8200 tokens " +
            "(100 in the messages, 8100 in the completion). Please reduce the length of the messages or completion.\"," +
            "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}", body);
    }

    [Theory]
    [InlineData("{not json", "Invalid JSON body")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"prompt\":\"x\"}", "'model' is required")]
    [InlineData("{\"model\":\"meta-llama/Meta-Llama-3-8B-Instruct\",\"prompt\":\"x\",\"max_tokens\":-3}", "'max_tokens' must be a positive integer")]
    [InlineData("{\"model\":\"meta-llama/Meta-Llama-3-8B-Instruct\",\"prompt\":7}", "'prompt' must be a string")]
    public async Task BadRequest_OpenAiShapedError(string json, string message)
    {
        using var response = await emulator.Http.PostAsync(new Uri(emulator.Urls[0], "/v1/completions"),
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", body.RootElement.GetProperty("object").GetString());
        Assert.Equal("BadRequestError", body.RootElement.GetProperty("type").GetString());
        Assert.Contains(message, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModel_Is404()
    {
        using var response = await Post(0, "/v1/completions", new { model = "gpt-17", prompt = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("The model `gpt-17` does not exist.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_And_Tokenize_AgreeWithUsage()
    {
        var models = await emulator.Http.GetFromJsonAsync<JsonElement>(new Uri(emulator.Urls[1], "/v1/models"));
        var tokenize = await (await Post(1, "/tokenize", new { model = EmulatorFixture.Model, prompt = "count these bytes please" })).Content
            .ReadFromJsonAsync<JsonElement>();
        using var completion = await Post(1, "/v1/completions", new { model = EmulatorFixture.Model, prompt = "count these bytes please", max_tokens = 1 });
        var usage = (await completion.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");

        Assert.Equal(EmulatorFixture.Model, models.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal(8192, models.GetProperty("data")[0].GetProperty("max_model_len").GetInt32());
        Assert.Equal(6, tokenize.GetProperty("count").GetInt32());   // 24 bytes / 4
        Assert.Equal(tokenize.GetProperty("count").GetInt32(), usage.GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Metrics_VllmNames_CountWhatWasServed()
    {
        var before = Scalar(await Metrics(1), "vllm:time_to_first_token_seconds_count");
        using (await Post(1, "/v1/completions", new { model = EmulatorFixture.Model, prompt = "hi", max_tokens = 2 }))
        {
        }

        var text = await Metrics(1);

        Assert.Equal(before + 1, Scalar(text, "vllm:time_to_first_token_seconds_count"));
        Assert.Contains("vllm:cache_config_info{block_size=\"16\"", text, StringComparison.Ordinal);
        Assert.Contains("num_gpu_blocks=\"2405\"", text, StringComparison.Ordinal);   // L4: ≈ 38.5k tokens
        foreach (var name in new[] { "vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
            "vllm:gpu_cache_usage_perc", "vllm:num_preemptions_total", "vllm:generation_tokens_total", "vllm:inter_token_latency_seconds_bucket" })
        {
            Assert.Contains(name + "{", text, StringComparison.Ordinal);
        }
    }

    private async Task<string> Metrics(int server) => await emulator.Http.GetStringAsync(new Uri(emulator.Urls[server], "/metrics"));

    private static double Scalar(string text, string name) => double.Parse(
        text.Split('\n').Single(l => l.StartsWith(name + "{", StringComparison.Ordinal)).Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);

    private Task<HttpResponseMessage> Post(int server, string path, object body) =>
        emulator.Http.PostAsJsonAsync(new Uri(emulator.Urls[server], path), body);
}
