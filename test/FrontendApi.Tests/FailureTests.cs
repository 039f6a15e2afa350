using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Dio.FrontendApi.Tests;

/// <summary>What a client sees when a worker fails, and how fast the silo stops sending it traffic.
/// Each test crashes one worker and brings it back.</summary>
public sealed class FailureTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task WorkerCrashedBeforeFirstByte_RequestIsRetriedElsewhere_ClientSucceeds()
    {
        // DIO prefers the A100 for a short prompt on an idle fleet: crash exactly that one.
        await gateway.SetFaultAsync("a100-80gb-0", "crash");
        try
        {
            for (var i = 0; i < 5; i++)
            {
                using var response = await gateway.Http.PostAsJsonAsync(new Uri(gateway.Url, "/v1/completions"),
                    new { model = GatewayFixture.Model, prompt = "retry me", max_tokens = 3 });

                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.NotEqual("a100-80gb-0", response.Headers.GetValues("X-Dio-Worker").Single());
                var usage = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
                Assert.Equal(3, usage.GetProperty("completion_tokens").GetInt32());
            }
        }
        finally
        {
            await RestoreAsync("a100-80gb-0");
        }
    }

    [Fact]
    public async Task WorkerCrashedMidStream_ClientGetsErrorEvent_WorkerUnhealthyWithinTwoSeconds()
    {
        using var response = await gateway.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, "/v1/chat/completions"))
        {
            Content = JsonContent.Create(new
            {
                model = GatewayFixture.Model, messages = new[] { new { role = "user", content = "a long story please" } }, max_tokens = 2000, stream = true,
            }),
        }, HttpCompletionOption.ResponseHeadersRead);
        var worker = response.Headers.GetValues("X-Dio-Worker").Single();
        var events = SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());   // the first token arrived

        await gateway.SetFaultAsync(worker, "crash");
        var crashedAt = System.Diagnostics.Stopwatch.StartNew();
        var rest = new List<string>();
        while (await events.MoveNextAsync())
        {
            rest.Add(events.Current.Data);
        }

        try
        {
            // The stream ends cleanly: an OpenAI-shaped error event, then [DONE].
            Assert.True(rest.Count >= 2, $"events after the crash: {string.Join(" | ", rest)}");
            Assert.Contains("\"error\"", rest[^2], StringComparison.Ordinal);
            Assert.Equal("[DONE]", rest[^1]);
            var error = JsonDocument.Parse(rest[^2]).RootElement.GetProperty("error");
            Assert.Equal("upstream_stream_broken", error.GetProperty("code").GetString());

            await GatewayFixture.WaitUntilAsync(async () => !(await gateway.WorkerAsync(worker)).GetProperty("healthy").GetBoolean(), "the worker marked unhealthy");
            Assert.True(crashedAt.Elapsed < TimeSpan.FromSeconds(2), $"marked unhealthy after {crashedAt.Elapsed.TotalSeconds:F2} s");
        }
        finally
        {
            await RestoreAsync(worker);
        }
    }

    /// <summary>Clears the fault and waits until the silo has seen the worker answer again.</summary>
    private async Task RestoreAsync(string workerId)
    {
        await gateway.SetFaultAsync(workerId, "none");
        await GatewayFixture.WaitUntilAsync(async () => (await gateway.WorkerAsync(workerId)).GetProperty("healthy").GetBoolean(), "the worker back");
    }
}
