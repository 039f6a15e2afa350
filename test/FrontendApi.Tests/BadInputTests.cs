using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Dio.FrontendApi.Tests;

/// <summary>
/// The bad-input catalogue: every malformed, mistyped, oversized or hostile request gets a 4xx with an OpenAI-shaped
/// error ({"error": {"message", "type", "param", "code"}}), never a 5xx, and the gateway keeps serving.
/// </summary>
[Collection(MetricsReaders.Name)]
public sealed class BadInputTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Model = GatewayFixture.Model;

    public static TheoryData<string, string, string, int> Bodies => new()
    {
        // name, path, body, expected status
        { "malformed JSON", "chat", "{\"model\":", 400 },
        { "trailing garbage", "chat", "{\"model\":\"m\"} extra", 400 },
        { "array body", "chat", "[1,2,3]", 400 },
        { "string body", "chat", "\"hello\"", 400 },
        { "empty body", "chat", "", 400 },
        { "null body", "chat", "null", 400 },
        { "missing model", "chat", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400 },
        { "model is a number", "chat", "{\"model\":123,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400 },
        { "empty model", "chat", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400 },
        { "model too long", "chat", $"{{\"model\":\"{new string('m', 300)}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]}}", 400 },
        { "missing messages", "chat", $"{{\"model\":\"{Model}\"}}", 400 },
        { "messages is a string", "chat", $"{{\"model\":\"{Model}\",\"messages\":\"hi\"}}", 400 },
        { "messages empty", "chat", $"{{\"model\":\"{Model}\",\"messages\":[]}}", 400 },
        { "message not an object", "chat", $"{{\"model\":\"{Model}\",\"messages\":[\"hi\"]}}", 400 },
        { "message without role", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"content\":\"hi\"}}]}}", 400 },
        { "unknown role", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"wizard\",\"content\":\"hi\"}}]}}", 400 },
        { "content is a number", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":5}}]}}", 400 },
        { "content parts not objects", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":[1,2]}}]}}", 400 },
        { "negative max_tokens", "chat", Chat("\"max_tokens\":-5"), 400 },
        { "zero max_tokens", "chat", Chat("\"max_tokens\":0"), 400 },
        { "huge max_tokens", "chat", Chat("\"max_tokens\":1000000000"), 400 },
        { "max_tokens as string", "chat", Chat("\"max_tokens\":\"10\""), 400 },
        { "fractional max_tokens", "chat", Chat("\"max_tokens\":1.5"), 400 },
        { "negative max_completion_tokens", "chat", Chat("\"max_completion_tokens\":-1"), 400 },
        { "stream not a boolean", "chat", Chat("\"stream\":\"yes\""), 400 },
        { "stream_options not an object", "chat", Chat("\"stream_options\":5"), 400 },
        { "include_usage not a boolean", "chat", Chat("\"stream\":true,\"stream_options\":{\"include_usage\":\"please\"}"), 400 },
        { "temperature out of range", "chat", Chat("\"temperature\":5"), 400 },
        { "top_p as string", "chat", Chat("\"top_p\":\"high\""), 400 },
        { "n far too large", "chat", Chat("\"n\":100000"), 400 },
        { "too many stop sequences", "chat", Chat("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]"), 400 },
        { "deeply nested JSON", "chat", new string('[', 200) + new string(']', 200), 400 },
        { "completions without prompt", "completions", $"{{\"model\":\"{Model}\"}}", 400 },
        { "prompt is a number", "completions", $"{{\"model\":\"{Model}\",\"prompt\":42}}", 400 },
        { "prompt is an empty list", "completions", $"{{\"model\":\"{Model}\",\"prompt\":[]}}", 400 },
        { "unknown model", "chat", "{\"model\":\"gpt-17\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404 },
        { "model name with CRLF injection", "chat", "{\"model\":\"x\\r\\nSet-Cookie: a=b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404 },
        { "prompt too long for any worker", "completions", $"{{\"model\":\"{Model}\",\"prompt\":\"{new string('x', 40_000)}\"}}", 400 },
        { "chat too long for any worker", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"{new string('x', 40_000)}\"}}]}}", 400 },
        { "max_tokens beyond every context", "chat", Chat("\"max_tokens\":900000"), 400 },

        // Duplicate keys: Python keeps the last, .NET would read the first; the two must never disagree.
        { "duplicate model key", "chat", $"{{\"model\":\"{Model}\",\"model\":\"other\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]}}", 400 },
        { "duplicate max_tokens", "chat", Chat("\"max_tokens\":1,\"max_tokens\":100000"), 400 },
        { "duplicate key in a message", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"role\":\"system\",\"content\":\"hi\"}}]}}", 400 },
        { "duplicate key in an unknown field", "chat", Chat("\"extra\":{\"a\":1,\"a\":2}"), 400 },

        // Lone surrogate escapes: valid JSON, not text.
        { "lone high surrogate in content", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"a\\ud800b\"}}]}}", 400 },
        { "lone low surrogate in content", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"\\udc00\"}}]}}", 400 },
        { "reversed surrogate pair", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"\\udc00\\ud800\"}}]}}", 400 },
        { "lone surrogate in an unknown field", "chat", Chat("\"user\":\"\\ud83d\""), 400 },
        { "lone surrogate in a key", "chat", Chat("\"\\ud800\":1"), 400 },
        { "lone surrogate in the model", "chat", "{\"model\":\"\\ud800\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400 },
        { "lone surrogate in a prompt", "completions", $"{{\"model\":\"{Model}\",\"prompt\":\"x\\udbff\"}}", 400 },

        // JSON that is not quite JSON.
        { "comment in JSON", "chat", $"{{/* hi */\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]}}", 400 },
        { "trailing comma", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}],}}", 400 },
        { "NaN literal", "chat", Chat("\"temperature\":NaN"), 400 },
        { "single-quoted strings", "chat", "{'model':'m'}", 400 },
        { "top-level number", "chat", "42", 400 },

        // Types and ranges.
        { "model is null", "chat", "{\"model\":null,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400 },
        { "model is a list", "chat", "{\"model\":[\"a\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400 },
        { "model is whitespace", "chat", "{\"model\":\"   \",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400 },
        { "message is null", "chat", $"{{\"model\":\"{Model}\",\"messages\":[null]}}", 400 },
        { "role is a number", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":1,\"content\":\"hi\"}}]}}", 400 },
        { "content part without type", "chat", $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":[{{\"text\":\"hi\"}}]}}]}}", 400 },
        { "n is zero", "chat", Chat("\"n\":0"), 400 },
        { "n above 128", "chat", Chat("\"n\":129"), 400 },
        { "n as string", "chat", Chat("\"n\":\"2\""), 400 },
        { "best_of below n", "completions", $"{{\"model\":\"{Model}\",\"prompt\":\"hi\",\"n\":3,\"best_of\":2}}", 400 },
        { "best_of above 20", "completions", $"{{\"model\":\"{Model}\",\"prompt\":\"hi\",\"best_of\":21}}", 400 },
        { "negative temperature", "chat", Chat("\"temperature\":-1"), 400 },
        { "top_p above 1", "chat", Chat("\"top_p\":1.5"), 400 },
        { "presence_penalty above 2", "chat", Chat("\"presence_penalty\":3"), 400 },
        { "frequency_penalty as boolean", "chat", Chat("\"frequency_penalty\":true"), 400 },
        { "stop as number", "chat", Chat("\"stop\":5"), 400 },
        { "stop list with a number", "chat", Chat("\"stop\":[\"a\",5]"), 400 },
        { "max_tokens as exponent overflow", "chat", Chat("\"max_tokens\":1e400"), 400 },

        // Prompt forms.
        { "prompt mixes strings and ids", "completions", $"{{\"model\":\"{Model}\",\"prompt\":[\"a\",1]}}", 400 },
        { "negative token id", "completions", $"{{\"model\":\"{Model}\",\"prompt\":[-1,2]}}", 400 },
        { "fractional token id", "completions", $"{{\"model\":\"{Model}\",\"prompt\":[1.5]}}", 400 },
        { "empty prompt in a token batch", "completions", $"{{\"model\":\"{Model}\",\"prompt\":[[1],[]]}}", 400 },
        { "strings in a token batch", "completions", $"{{\"model\":\"{Model}\",\"prompt\":[[\"a\"]]}}", 400 },
        { "prompt is an object", "completions", $"{{\"model\":\"{Model}\",\"prompt\":{{\"text\":\"a\"}}}}", 400 },
        { "batch of 2049 prompts", "completions", $"{{\"model\":\"{Model}\",\"prompt\":[{string.Join(',', Enumerable.Repeat("\"a\"", 2049))}]}}", 400 },

        // Model names a client chooses must never reach a metric label or a header.
        { "model name with backslash, quote and newline", "chat", "{\"model\":\"a\\\\\\\"b\\nc\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404 },
        { "model name with braces", "chat", "{\"model\":\"x}\\\"} 1\\n# HELP\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404 },
        { "non-ASCII model name", "chat", "{\"model\":\"模型\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Body_IsRefusedWithAnOpenAiError(string name, string path, string body, int status)
    {
        using var response = await Send(path, new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertOpenAiError(response, status, name);
    }

    [Fact]
    public async Task InvalidUtf8_Is400()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes($"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\""), 0xC3, 0x28, 0xFF, .. "\"}]}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await Send("chat", content);

        await AssertOpenAiError(response, 400, "invalid UTF-8");
    }

    [Fact]
    public async Task TwentyMegabyteBody_Is413()
    {
        // Expect: 100-continue, as a client uploading 20 MB should send it, lets the refusal arrive before the upload.
        var padding = new string('a', 20 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, "/v1/chat/completions"))
        {
            Content = new StringContent($"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"{padding}\"}}]}}",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using var response = await gateway.Http.SendAsync(request);

        await AssertOpenAiError(response, 413, "20 MB body");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task WrongContentType_Is415(string? contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Chat(string.Empty)));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await Send("chat", content);

        await AssertOpenAiError(response, 415, contentType ?? "no content type");
    }

    [Theory]
    [InlineData("X-Dio-Tier", "gold")]
    [InlineData("X-Dio-Tier", "interactive, batch")]
    [InlineData("X-Dio-Tier", "batch; drop table workers")]
    [InlineData("X-Dio-Ttft-Slo-Ms", "abc")]
    [InlineData("X-Dio-Ttft-Slo-Ms", "-5")]
    [InlineData("X-Dio-Ttft-Slo-Ms", "1e12")]
    [InlineData("X-Dio-Ttft-Slo-Ms", "NaN")]
    [InlineData("X-Dio-Ttft-Slo-Ms", "Infinity")]
    [InlineData("X-Dio-Ttft-Slo-Ms", "-Infinity")]
    [InlineData("X-Dio-Ttft-Slo-Ms", "0")]
    [InlineData("X-Dio-Ttft-Slo-Ms", "0.5")]
    [InlineData("X-Dio-Ttft-Slo-Ms", "1e400")]
    [InlineData("X-Dio-Ttft-Slo-Ms", "")]
    [InlineData("X-Dio-Ttft-Slo-Ms", "0x10")]
    [InlineData("X-Dio-Tier", "")]
    [InlineData("X-Request-Id", "has spaces")]
    [InlineData("X-Request-Id", "<script>alert(1)</script>")]
    [InlineData("X-Request-Id", "")]
    public async Task HostileRoutingHeader_Is400(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, "/v1/chat/completions"))
        {
            Content = new StringContent(Chat("\"max_tokens\":1"), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await gateway.Http.SendAsync(request);

        await AssertOpenAiError(response, 400, $"{header}: {value}");
    }

    [Fact]
    public async Task ObjectiveNoWorkerCanMeetEvenIdle_Is400WithTheReason_NotOverload()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, "/v1/completions"))
        {
            Content = new StringContent($"{{\"model\":\"{Model}\",\"prompt\":\"{new string('x', 16_000)}\",\"max_tokens\":1}}", Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Add("X-Dio-Ttft-Slo-Ms", "1");

        using var response = await gateway.Http.SendAsync(request);

        var error = await AssertOpenAiError(response, 400, "1 ms objective for a 4k-token prompt");
        Assert.Equal("slo_unattainable", error.GetProperty("code").GetString());
        Assert.Contains("idle worker", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkersOwnRefusal_ReachesTheClientInOpenAiShape()
    {
        // DIO accepts token-id prompts, as OpenAI and vLLM do; the emulated vLLM does not, and refuses them with
        // vLLM's older flat error body, which must reach the client as {"error": {"message": …}}.
        var body = $"{{\"model\":\"{Model}\",\"prompt\":[1,2,3],\"max_tokens\":1}}";

        using var response = await Send("completions", new StringContent(body, Encoding.UTF8, "application/json"));

        var error = await AssertOpenAiError(response, 400, "worker refusal");
        Assert.Equal("'prompt' must be a string or a list of strings.", error.GetProperty("message").GetString());
        Assert.True(response.Headers.Contains("X-Dio-Worker"));
    }

    [Fact]
    public async Task UnknownModelNames_NeverGrowTheMetrics()
    {
        async Task SendUnknownAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                using var _ = await Send("chat", new StringContent(
                    $"{{\"model\":\"random-{Guid.NewGuid():N}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]}}", Encoding.UTF8, "application/json"));
            }
        }

        await SendUnknownAsync(5);   // every series an unknown model can touch now exists
        var before = await gateway.Http.GetStringAsync(new Uri(gateway.Url, "/metrics"));
        await SendUnknownAsync(200);
        var after = await gateway.Http.GetStringAsync(new Uri(gateway.Url, "/metrics"));

        Assert.DoesNotContain("random-", after, StringComparison.Ordinal);
        Assert.Equal(SeriesNames(before), SeriesNames(after));
    }

    [Fact]
    public async Task Metrics_AfterTheWholeCatalogue_PassPromtoolCheckMetrics()
    {
        foreach (var row in Bodies)
        {
            using var _ = await Send((string)row[1], new StringContent((string)row[2], Encoding.UTF8, "application/json"));
        }

        foreach (var header in typeof(BadInputTests).GetMethod(nameof(HostileRoutingHeader_Is400))!.GetCustomAttributes(typeof(InlineDataAttribute), false)
            .Cast<InlineDataAttribute>().Select(a => a.GetData(null!).Single()))
        {
            await HostileRoutingHeader_Is400((string)header[0], (string)header[1]);
        }

        foreach (var row in TransportBadInputTests.Requests)
        {
            await TransportBadInputTests.SendRawAsync(gateway.Url, Encoding.Latin1.GetBytes((string)row[1]));
        }

        var page = await gateway.Http.GetStringAsync(new Uri(gateway.Url, "/metrics"));
        var (exitCode, output) = await Support.Promtool.CheckMetricsAsync(page);

        Assert.True(exitCode == 0, $"promtool check metrics exited {exitCode}:\n{output}");
        Assert.Contains("model=\"unknown\",outcome=\"model_not_found\"", page, StringComparison.Ordinal);   // the hostile names, as 'unknown'
        Assert.DoesNotContain("# HELP\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalogue_HoldsAtLeastEightyCases()
    {
        var headerCases = typeof(BadInputTests).GetMethod(nameof(HostileRoutingHeader_Is400))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Length;
        var contentTypes = typeof(BadInputTests).GetMethod(nameof(WrongContentType_Is415))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Length;
        var total = Bodies.Count + headerCases + contentTypes + TransportBadInputTests.Requests.Count + 2;   // + UTF-8, 20 MB

        Assert.True(total >= 80, $"{total} cases");
    }

    /// <summary>The name and labels, without the value, of every series a request's content can reach (DIO's and ASP.NET
    /// Core's request metrics): what may not grow. The runtime's series (a GC generation seen for the first time) may.</summary>
    private static string[] SeriesNames(string metrics) =>
        [.. metrics.Split('\n').Where(l => l.StartsWith("dio_", StringComparison.Ordinal) || l.StartsWith("http_server_", StringComparison.Ordinal))
            .Select(l => l[..l.LastIndexOf(' ')]).Order(StringComparer.Ordinal)];

    private static string Chat(string extra) =>
        $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]{(extra.Length > 0 ? "," + extra : string.Empty)}}}";

    private Task<HttpResponseMessage> Send(string path, HttpContent content) =>
        gateway.Http.PostAsync(new Uri(gateway.Url, path == "chat" ? "/v1/chat/completions" : "/v1/completions"), content);

    private async Task<JsonElement> AssertOpenAiError(HttpResponseMessage response, int status, string name)
    {
        Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode}");
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()), name);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("code").ValueKind);
        Assert.True(error.TryGetProperty("param", out _), name);

        // The process is still up and serving.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync(new Uri(gateway.Url, "/health/live"))).StatusCode);
        Assert.Contains("dio_gateway_requests_total", await gateway.Http.GetStringAsync(new Uri(gateway.Url, "/metrics")), StringComparison.Ordinal);
        return error;
    }
}
