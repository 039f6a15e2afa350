using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace Dio.FrontendApi.Tests;

/// <summary>The same fleet with a first-byte timeout of 1–2 s, so that a stalled worker is given up quickly.</summary>
public sealed class ShortFirstByteTimeoutFixture : GatewayFixture
{
    protected override void Configure(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration["Gateway:FirstByteTimeoutMin"] = "00:00:01";
        builder.Configuration["Gateway:FirstByteTimeoutMax"] = "00:00:02";
        builder.Configuration["Gateway:StreamActivityTimeout"] = "00:00:01";
    }
}

/// <summary>A worker that accepts a request and never answers, or stalls mid-stream, does not hold the client.</summary>
public sealed class StalledWorkerTests(ShortFirstByteTimeoutFixture gateway) : IClassFixture<ShortFirstByteTimeoutFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WorkerAcceptsAndNeverAnswers_ClientIsServedByAnotherWorker(bool stream)
    {
        // DIO prefers the A100 for a short prompt on an idle fleet: stall exactly that one.
        await gateway.SetFaultAsync("a100-80gb-0", "hang");
        try
        {
            using var response = await gateway.Http.PostAsJsonAsync(new Uri(gateway.Url, "/v1/chat/completions"), new
            {
                model = GatewayFixture.Model, messages = new[] { new { role = "user", content = "anyone there?" } }, max_tokens = 3, stream,
            });
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual("a100-80gb-0", response.Headers.GetValues("X-Dio-Worker").Single());
            Assert.Contains(stream ? "[DONE]" : "\"completion_tokens\":3", body, StringComparison.Ordinal);
        }
        finally
        {
            await gateway.SetFaultAsync("a100-80gb-0", "none");
            await GatewayFixture.WaitUntilAsync(async () => (await gateway.WorkerAsync("a100-80gb-0")).GetProperty("healthy").GetBoolean(),
                "the A100 is healthy again");
        }
    }

    [Fact]
    public async Task WorkerStallsMidStream_ClientGetsAnErrorEventAndDone()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, "/v1/chat/completions"))
        {
            Content = JsonContent.Create(new
            {
                model = GatewayFixture.Model, messages = new[] { new { role = "user", content = "then silence" } }, max_tokens = 400, stream = true,
            }),
        };
        using var response = await gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var worker = response.Headers.GetValues("X-Dio-Worker").Single();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());
        try
        {
            await gateway.SetFaultAsync(worker, "slow", factor: 1_000_000);   // the next token would take hours

            var rest = await reader.ReadToEndAsync();

            Assert.Contains("upstream_stream_broken", rest, StringComparison.Ordinal);
            Assert.EndsWith("data: [DONE]\n\n", rest, StringComparison.Ordinal);
        }
        finally
        {
            await gateway.SetFaultAsync(worker, "none");
            await GatewayFixture.WaitUntilAsync(async () => (await gateway.WorkerAsync(worker)).GetProperty("healthy").GetBoolean(),
                $"{worker} is healthy again");
        }
    }
}
