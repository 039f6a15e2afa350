using System.Net.Http.Json;
using System.Text.Json;

namespace Dio.FrontendApi.Tests;

/// <summary>A non-streamed request is counted once: from its predicted start on, vLLM's readings hold its prompt's KV,
/// so its lease stops reserving those blocks (only its output still to come stays reserved), exactly as a stream's
/// does from its first byte.</summary>
public sealed class NonStreamedAccountingTests(RealTimeFixture gateway) : IClassFixture<RealTimeFixture>
{
    [Fact]
    public async Task LongPlainAnswer_StopsReservingOnceReadingsCoverIt_WhileStillInFlight()
    {
        // 4,000 prompt tokens (the emulated tokenizer counts 4 bytes a token) are 250 blocks; 600 output tokens 38 more.
        var answer = gateway.Http.PostAsJsonAsync(new Uri(gateway.Url, "/v1/completions"),
            new { model = GatewayFixture.Model, prompt = new string('x', 16_000), max_tokens = 600 });
        var worker = gateway.Workers[0].WorkerId;

        await GatewayFixture.WaitUntilAsync(async () => (await LeasesAsync(worker)) is { InFlight: 1, ReservedBlocks: >= 288 }, "the lease taken");
        await GatewayFixture.WaitUntilAsync(async () => (await LeasesAsync(worker)) is { InFlight: 1, ReservedBlocks: > 0 and <= 50 },
            "the running request's prompt covered by a reading, not reserved on top of it");

        Assert.False(answer.IsCompleted, "the answer was still being generated while its blocks were no longer double-counted");
        using var response = await answer;
        response.EnsureSuccessStatusCode();
        await GatewayFixture.WaitUntilAsync(async () => (await LeasesAsync(worker)).InFlight == 0, "the lease closed");
    }

    private async Task<(int InFlight, int ReservedBlocks)> LeasesAsync(string worker)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.Url, "/control/pools"));
        request.Headers.Add("X-Dio-Admin-Key", GatewayFixture.AdminKey);
        using var response = await gateway.Http.SendAsync(request);
        var pools = await response.Content.ReadFromJsonAsync<JsonElement>();
        foreach (var pool in pools.EnumerateArray())
        {
            if (pool.GetProperty("leases").TryGetProperty(worker, out var leases))
            {
                return (leases.GetProperty("inFlight").GetInt32(), leases.GetProperty("reservedBlocks").GetInt32());
            }
        }

        return (0, 0);
    }
}
