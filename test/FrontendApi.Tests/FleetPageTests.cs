using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dio.FrontendApi.Fleet;
using Microsoft.AspNetCore.Http;

namespace Dio.FrontendApi.Tests;

/// <summary>The fleet page's data and when the demo writes the admin key into the page (the page itself is driven in a
/// real browser by Ui.Tests).</summary>
public sealed class FleetPageTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Key = "k3y<&\"";

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "localhost", true)]
    [InlineData("::1", "[::1]", true)]
    [InlineData("10.1.2.3", "127.0.0.1", false)]        // another machine
    [InlineData("127.0.0.1", "rebound.example", false)]  // DNS rebinding: a foreign page whose name now points here
    [InlineData("127.0.0.1", "10.1.2.3", false)]
    public void Render_Demo_WritesTheKeyOnlyForABrowserOnThisMachine(string peer, string host, bool shared)
    {
        var html = FleetPage.Render(Context(peer, host), shareKey: true, Key);

        Assert.Equal(shared, html.Contains("content=\"k3y&lt;&amp;&quot;\"", StringComparison.Ordinal));
        Assert.DoesNotContain(Key, html, StringComparison.Ordinal);   // never unencoded
        Assert.DoesNotContain(FleetPage.KeyPlaceholder, html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Forwarded-For")]
    [InlineData("Forwarded")]
    public void Render_Demo_ThroughAProxy_WritesNoKey(string header)
    {
        var context = Context("127.0.0.1", "127.0.0.1");
        context.Request.Headers[header] = "for=203.0.113.9";

        Assert.Contains("name=\"dio-admin-key\" content=\"\"", FleetPage.Render(context, shareKey: true, Key), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_OutsideTheDemo_CarriesNoKey_AndIsNeverCached()
    {
        using var response = await gateway.Http.GetAsync(new Uri(gateway.Url, "/fleet"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("name=\"dio-admin-key\" content=\"\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayFixture.AdminKey, html, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Workers_NeedTheAdminKey_AndShowWhatTheControlApiShows()
    {
        await GatewayFixture.WaitUntilAsync(async () => (await gateway.WorkersAsync()).All(w => w.GetProperty("telemetry").ValueKind == JsonValueKind.Object),
            "a first engine reading of every worker");
        using var anonymous = await gateway.Http.GetAsync(new Uri(gateway.Url, "/fleet/workers"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.Url, "/fleet/workers"));
        request.Headers.Add("X-Dio-Admin-Key", GatewayFixture.AdminKey);
        using var response = await gateway.Http.SendAsync(request);
        var rows = await response.Content.ReadFromJsonAsync<List<JsonElement>>() ?? [];
        var snapshots = await gateway.WorkersAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(snapshots.Select(s => s.GetProperty("registration").GetProperty("workerId").GetString()).Order(StringComparer.Ordinal),
            rows.Select(r => r.GetProperty("workerId").GetString()));
        foreach (var row in rows)
        {
            var snapshot = snapshots.Single(s => s.GetProperty("registration").GetProperty("workerId").GetString() == row.GetProperty("workerId").GetString());
            Assert.Equal(snapshot.GetProperty("registration").GetProperty("gpuProfile").GetString(), row.GetProperty("gpu").GetString());
            Assert.Equal(snapshot.GetProperty("healthy").GetBoolean(), row.GetProperty("healthy").GetBoolean());
            Assert.Equal(snapshot.GetProperty("predictedTtftMs").GetDouble(), row.GetProperty("predictedTtftMs").GetDouble());
            Assert.Equal(snapshot.GetProperty("telemetry").GetProperty("kvUsage").GetDouble(), row.GetProperty("kvUsage").GetDouble());
        }
    }

    private static DefaultHttpContext Context(string peer, string host)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        context.Request.Host = new HostString(host);
        return context;
    }
}
