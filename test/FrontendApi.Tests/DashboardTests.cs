using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Dio.FrontendApi.Tests;

/// <summary>The Orleans Dashboard at /dashboard: behind the admin key outside the demo (header, or Basic for a browser).</summary>
public sealed class DashboardTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task WithoutTheKey_Is401WithABasicChallenge()
    {
        using var response = await gateway.Http.GetAsync(new Uri(gateway.Url, "/dashboard/"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task WithAWrongBasicPassword_Is401()
    {
        using var response = await GetAsync("/dashboard/", new AuthenticationHeaderValue("Basic", Basic("admin:wrong")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WithTheKey_AsBasicPasswordOrHeader_ServesTheDashboard()
    {
        var basic = new AuthenticationHeaderValue("Basic", Basic($"anyone:{GatewayFixture.AdminKey}"));

        using var page = await GetAsync("/dashboard/", basic);
        using var header = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.Url, "/dashboard/"));
        header.Headers.Add("X-Dio-Admin-Key", GatewayFixture.AdminKey);
        using var viaHeader = await gateway.Http.SendAsync(header);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Orleans Dashboard", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, viaHeader.StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.Url, path));
        request.Headers.Authorization = authorization;
        return await gateway.Http.SendAsync(request);
    }

    private static string Basic(string credentials) => Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));
}
