using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Dio.FrontendApi.Tests;

/// <summary>The OpenAPI document says what the gateway does: its schemas, headers and errors, and its examples work
/// against a real fleet (the browser-side check of "Try it out" is in Ui.Tests).</summary>
public sealed class SwaggerDocsTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Document_ListsTheInferenceAndControlApis_AndServesTheUi()
    {
        var paths = (await DocumentAsync()).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/v1/chat/completions", paths);
        Assert.Contains("/v1/completions", paths);
        Assert.Contains("/v1/models", paths);
        Assert.Contains("/control/workers", paths);
        Assert.Contains("/control/pools", paths);
        Assert.DoesNotContain("/control/route", paths);   // routing is a grain call now, never an HTTP hop
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync(new Uri(gateway.Url, "/swagger/index.html"))).StatusCode);
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/completions")]
    public async Task InferenceOperation_DocumentsDioHeaders_AndEveryErrorInOpenAisShape_No502(string path)
    {
        var operation = Operation(await DocumentAsync(), path);
        var parameters = operation.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        var responses = operation.GetProperty("responses");

        Assert.Equal(["interactive", "batch"], parameters["X-Dio-Tier"].GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, parameters["X-Dio-Ttft-Slo-Ms"].GetProperty("schema").GetProperty("minimum").GetDouble());
        Assert.Equal(3_600_000, parameters["X-Dio-Ttft-Slo-Ms"].GetProperty("schema").GetProperty("maximum").GetDouble());
        Assert.All(parameters.Values, p => Assert.Equal("header", p.GetProperty("in").GetString()));
        Assert.Contains("X-Request-Id", parameters.Keys);
        Assert.Equal(["200", "400", "404", "413", "415", "503"], responses.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.True(responses.GetProperty("200").GetProperty("headers").TryGetProperty("X-Dio-Worker", out _));
        Assert.True(responses.GetProperty("200").GetProperty("headers").TryGetProperty("X-Dio-Predicted-Ttft-Ms", out _));
        Assert.True(responses.GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _));
        foreach (var status in (string[])["400", "404", "413", "415", "503"])
        {
            var json = responses.GetProperty(status).GetProperty("content").GetProperty("application/json");
            Assert.Equal("#/components/schemas/ErrorResponse", json.GetProperty("schema").GetProperty("$ref").GetString());
            Assert.Equal(["code", "message", "param", "type"], json.GetProperty("example").GetProperty("error").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task RequestSchemas_HaveOpenAisFields_AndPromptIsOneOfItsFourForms()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        var chat = schemas.GetProperty("ChatCompletionRequest");
        var completion = schemas.GetProperty("CompletionRequest");

        Assert.Equal(["messages", "model"], chat.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order(StringComparer.Ordinal));
        foreach (var field in (string[])["model", "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop", "stream",
            "stream_options", "presence_penalty", "frequency_penalty"])
        {
            Assert.True(chat.GetProperty("properties").TryGetProperty(field, out _), field);
        }

        Assert.True(completion.GetProperty("properties").TryGetProperty("best_of", out _));
        Assert.Equal(4, completion.GetProperty("properties").GetProperty("prompt").GetProperty("oneOf").GetArrayLength());
        Assert.Equal(["assistant", "developer", "function", "system", "tool", "user"],
            schemas.GetProperty("ChatRole").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        Assert.True(schemas.GetProperty("StreamOptions").GetProperty("properties").TryGetProperty("include_usage", out _));
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/completions")]
    public async Task RequestExample_AsTryItOutSendsIt_IsServed(string path)
    {
        var example = Operation(await DocumentAsync(), path).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");

        using var response = await gateway.Http.PostAsync(new Uri(gateway.Url, path), new StringContent(example.GetRawText(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GatewayFixture.Model, example.GetProperty("model").GetString());
        Assert.Equal(1, body.GetProperty("choices").GetArrayLength());
        Assert.True(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        Assert.Single(response.Headers.GetValues("X-Dio-Worker"));
    }

    [Fact]
    public async Task ErrorExamples_AreWhatTheGatewayAnswers()
    {
        var responses = Operation(await DocumentAsync(), "/v1/chat/completions").GetProperty("responses");

        var invalid = await ErrorAsync(new { model = GatewayFixture.Model, messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 0 });
        var unknown = await ErrorAsync(new { model = "no-such-model", messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 1 });

        Assert.True(JsonElement.DeepEquals(Example(responses, "400"), invalid), invalid.GetRawText());
        Assert.True(JsonElement.DeepEquals(Example(responses, "404"), unknown), unknown.GetRawText());
    }

    [Fact]
    public async Task ControlEndpoints_RequireTheAdminKey_RegistrationAlsoTakesTheSidecarToken()
    {
        var document = await DocumentAsync();
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        var workers = document.GetProperty("paths").GetProperty("/control/workers");

        Assert.Equal("X-Dio-Admin-Key", schemes.GetProperty("adminKey").GetProperty("name").GetString());
        Assert.Equal("X-Dio-Sidecar-Token", schemes.GetProperty("sidecarToken").GetProperty("name").GetString());
        Assert.Equal(["adminKey"], Schemes(workers.GetProperty("get")));
        Assert.Equal(["adminKey", "sidecarToken"], Schemes(workers.GetProperty("post")));
        Assert.Equal(["adminKey"], Schemes(document.GetProperty("paths").GetProperty("/control/pools").GetProperty("get")));
        Assert.False(Operation(document, "/v1/chat/completions").TryGetProperty("security", out _));   // inference takes no key
    }

    private async Task<JsonElement> DocumentAsync() =>
        await gateway.Http.GetFromJsonAsync<JsonElement>(new Uri(gateway.Url, "/swagger/v1/swagger.json"));

    private static JsonElement Operation(JsonElement document, string path) => document.GetProperty("paths").GetProperty(path).GetProperty("post");

    private static JsonElement Example(JsonElement responses, string status) =>
        responses.GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("example");

    // Each requirement is one alternative; its single key names the scheme.
    private static IEnumerable<string> Schemes(JsonElement operation) =>
        operation.GetProperty("security").EnumerateArray().Select(r => r.EnumerateObject().Single().Name);

    private async Task<JsonElement> ErrorAsync(object body)
    {
        using var response = await gateway.Http.PostAsJsonAsync(new Uri(gateway.Url, "/v1/chat/completions"), body);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
