using System.Net.Http.Json;
using System.Text.Json;
using Dio.FrontendApi.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Dio.Bench.Gateway;

/// <summary>
/// The DIO gateway as the benchmarks run it: embedded silo, the given upstreams as sidecar-less workers, quiet
/// logging, started and not handed back until it serves a model (its first poll of the workers is done).
/// </summary>
internal static class BenchGateway
{
    public static async Task<WebApplication> StartAsync(IReadOnlyList<Uri> upstreams, string fleet, int port, params string[] settings)
    {
        var gateway = GatewayHost.Build(new GatewayLaunch(false, upstreams, fleet, 1,
            ["--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning", .. settings]));
        await gateway.StartAsync();
        var models = new Uri(GatewayHost.Address(gateway), "/v1/models");
        using var http = new HttpClient();
        for (var i = 0; i < 400 && (await http.GetFromJsonAsync<JsonElement>(models)).GetProperty("data").GetArrayLength() == 0; i++)
        {
            await Task.Delay(25);
        }

        return gateway;
    }
}
