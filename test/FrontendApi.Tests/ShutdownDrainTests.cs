using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace Dio.FrontendApi.Tests;

/// <summary>Real time and the A100 alone, so that a request lasts seconds.</summary>
public class RealTimeFixture : GatewayFixture
{
    protected override string Fleet => "1xA100-80GB";

    protected override double TimeScale => 1;
}

/// <summary>A stream outlives the start of the shutdown by seconds.</summary>
public class DrainFixture : RealTimeFixture
{
    protected virtual string DrainTimeout => "00:00:30";

    protected override void Configure(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration["Gateway:DrainTimeout"] = DrainTimeout;
    }
}

/// <summary>A drain too short for the stream in flight.</summary>
public sealed class ShortDrainFixture : DrainFixture
{
    protected override string DrainTimeout => "00:00:01";
}

/// <summary>Shutdown: readiness false first, new requests 503, requests in flight finish within the drain.</summary>
public sealed class ShutdownDrainTests(DrainFixture gateway) : IClassFixture<DrainFixture>
{
    [Fact]
    public async Task StreamInFlight_Finishes_WhileReadinessIsFalseAndNewRequestsAre503()
    {
        await using var stream = await ShutdownStreams.StartAsync(gateway, maxTokens: 300);

        var stopping = gateway.Gateway.StopAsync();
        await GatewayFixture.WaitUntilAsync(async () =>
            (await gateway.Http.GetAsync(new Uri(gateway.Url, "/health/ready"))).StatusCode == HttpStatusCode.ServiceUnavailable, "readiness false");
        using var refused = await gateway.Http.PostAsJsonAsync(new Uri(gateway.Url, "/v1/completions"),
            new { model = GatewayFixture.Model, prompt = "too late", max_tokens = 1 });
        var rest = await stream.RestAsync();
        await stopping;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("shutting_down", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("[DONE]", rest[^1]);
        Assert.DoesNotContain(rest, e => e.Contains("\"error\"", StringComparison.Ordinal));
        Assert.True(rest.Count > 100, $"{rest.Count} events after shutdown began: the stream was served to its end");
    }
}

/// <summary>A stream still open when the drain ends gets a clean end: an error event, then [DONE].</summary>
public sealed class ShortDrainTests(ShortDrainFixture gateway) : IClassFixture<ShortDrainFixture>
{
    [Fact]
    public async Task StreamStillOpenWhenTheDrainEnds_GetsAnErrorEventAndDone()
    {
        await using var stream = await ShutdownStreams.StartAsync(gateway, maxTokens: 5000);

        var stopping = gateway.Gateway.StopAsync();
        var rest = await stream.RestAsync();
        await stopping;

        Assert.Equal("[DONE]", rest[^1]);
        var error = JsonDocument.Parse(rest[^2]).RootElement.GetProperty("error");
        Assert.Equal("shutting_down", error.GetProperty("code").GetString());
    }
}

/// <summary>A streamed completion whose first event has arrived.</summary>
internal sealed class ShutdownStreams : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _events;

    private ShutdownStreams(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> events)
    {
        _response = response;
        _events = events;
    }

    public static async Task<ShutdownStreams> StartAsync(GatewayFixture gateway, int maxTokens)
    {
        var response = await gateway.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, "/v1/completions"))
        {
            Content = JsonContent.Create(new { model = GatewayFixture.Model, prompt = "a long story", max_tokens = maxTokens, stream = true }),
        }, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var events = SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());   // the first token arrived: the stream is in flight
        return new ShutdownStreams(response, events);
    }

    /// <summary>Every event until the stream ends.</summary>
    public async Task<List<string>> RestAsync()
    {
        var rest = new List<string>();
        while (await _events.MoveNextAsync())
        {
            rest.Add(_events.Current.Data);
        }

        return rest;
    }

    public async ValueTask DisposeAsync()
    {
        await _events.DisposeAsync();
        _response.Dispose();
    }
}
