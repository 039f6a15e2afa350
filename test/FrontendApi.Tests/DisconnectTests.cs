using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dio.FrontendApi.Tests;

/// <summary>Clients that give up: before their first token (the worker has not answered yet) and after it (mid-stream).
/// Each closes its lease at once (leases are the backstop, 30 s away, and the conditions below are checked well
/// inside that), and the fleet keeps serving.</summary>
public sealed class DisconnectTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const int Clients = 8;

    [Fact]
    public async Task ClientsLeavingBeforeTheirFirstToken_LeaveNoLeaseOpen()
    {
        foreach (var worker in gateway.Workers)
        {
            await gateway.SetFaultAsync(worker.WorkerId, "hang");   // accept, never answer
        }

        try
        {
            // One after another, so that every one is routed (cold workers take one request each until they have learned).
            for (var i = 0; i < Clients; i++)
            {
                using var leave = new CancellationTokenSource();
                var call = gateway.Http.PostAsJsonAsync(new Uri(gateway.Url, "/v1/chat/completions"), new
                {
                    model = GatewayFixture.Model, messages = new[] { new { role = "user", content = $"impatient {i}" } }, max_tokens = 16,
                }, leave.Token);
                await GatewayFixture.WaitUntilAsync(async () => await OpenLeasesAsync() == 1, $"request {i} was routed to a hanging worker");
                await leave.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
                await GatewayFixture.WaitUntilAsync(async () => await OpenLeasesAsync() == 0, $"request {i}'s lease closed when its client left");
            }
        }
        finally
        {
            foreach (var worker in gateway.Workers)
            {
                await gateway.SetFaultAsync(worker.WorkerId, "none");
            }
        }

        await GatewayFixture.WaitUntilAsync(async () => await OpenLeasesAsync() == 0, "every lease closed");
        await AssertServesAsync();
    }

    [Fact]
    public async Task ClientsLeavingAfterTheirFirstToken_LeaveNoLeaseOpen()
    {
        for (var i = 0; i < Clients; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, "/v1/chat/completions"))
            {
                Content = JsonContent.Create(new
                {
                    model = GatewayFixture.Model, messages = new[] { new { role = "user", content = $"leaving mid-stream {i}" } },
                    max_tokens = 4000, stream = true,
                }),
            };
            using var response = await gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(body);
            Assert.StartsWith("data: ", await reader.ReadLineAsync());   // the first token arrived; now the client leaves
            response.Dispose();
            await GatewayFixture.WaitUntilAsync(async () => await OpenLeasesAsync() == 0, $"stream {i}'s lease closed when its client left");
        }

        await AssertServesAsync();
    }

    private async Task<int> OpenLeasesAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.Url, "/control/pools"));
        request.Headers.Add("X-Dio-Admin-Key", GatewayFixture.AdminKey);
        using var response = await gateway.Http.SendAsync(request);
        var pools = await response.Content.ReadFromJsonAsync<List<JsonElement>>();
        return pools!.Sum(p => p.GetProperty("openLeases").GetInt32());
    }

    private async Task AssertServesAsync()
    {
        using var response = await gateway.Http.PostAsJsonAsync(new Uri(gateway.Url, "/v1/completions"),
            new { model = GatewayFixture.Model, prompt = "still serving", max_tokens = 2 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
