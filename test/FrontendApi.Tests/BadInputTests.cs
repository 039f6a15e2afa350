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
        { "n too large", "chat", Chat("\"n\":100"), 400 },
        { "too many stop sequences", "chat", Chat("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]"), 400 },
        { "deeply nested JSON", "chat", new string('[', 200) + new string(']', 200), 400 },
        { "completions without prompt", "completions", $"{{\"model\":\"{Model}\"}}", 400 },
        { "prompt is a number", "completions", $"{{\"model\":\"{Model}\",\"prompt\":42}}", 400 },
        { "prompt is an empty list", "completions", $"{{\"model\":\"{Model}\",\"prompt\":[]}}", 400 },
        { "unknown model", "chat", "{\"model\":\"gpt-17\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404 },
        { "model name with CRLF injection", "chat", "{\"model\":\"x\\r\\nSet-Cookie: a=b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404 },
        { "prompt too long for any worker", "completions", $"{{\"model\":\"{Model}\",\"prompt\":\"{new string('x', 40_000)}\"}}", 400 },
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

    private static string Chat(string extra) =>
        $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}]{(extra.Length > 0 ? "," + extra : string.Empty)}}}";

    private Task<HttpResponseMessage> Send(string path, HttpContent content) =>
        gateway.Http.PostAsync(new Uri(gateway.Url, path == "chat" ? "/v1/chat/completions" : "/v1/completions"), content);

    private async Task AssertOpenAiError(HttpResponseMessage response, int status, string name)
    {
        Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode}");
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()), name);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("code").ValueKind);
        Assert.True(error.TryGetProperty("param", out _), name);

        // The process is still up and serving.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync(new Uri(gateway.Url, "/health/live"))).StatusCode);
    }
}
