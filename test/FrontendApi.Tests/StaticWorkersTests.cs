using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dio.Emulator.Hosting;
using Dio.FrontendApi.Hosting;
using Microsoft.AspNetCore.Builder;
using Dio.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dio.FrontendApi.Tests;

/// <summary>Fronting vLLM servers that have no sidecar, named on the command line or in configuration.</summary>
public sealed class StaticWorkersTests
{
    [Fact]
    public async Task WorkersFromCommandLineAndConfiguration_AreRegisteredAndServe()
    {
        var options = new EmulatorOptions { Fleet = "2xL4", Port = 0, TimeScale = 20 };
        await using var vllm = EmulatorHost.Build(options);
        await vllm.StartAsync();
        var urls = EmulatorHost.Urls(vllm, options);
        var port = EmulatorHost.FreePorts(1)[0];
        await using var gateway = GatewayHost.Build(new GatewayLaunch(false, [urls[0]], "", 1, ["--urls", $"http://127.0.0.1:{port}"]), builder =>
        {
            builder.Configuration["Gateway:Workers:0"] = urls[1].ToString();
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        });
        await gateway.StartAsync();
        using var http = new HttpClient { BaseAddress = GatewayHost.Address(gateway) };

        var registry = gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<IFleetRegistryGrain>(IFleetRegistryGrain.Key);
        await GatewayFixture.WaitUntilAsync(async () => (await registry.ListAsync()).Length == 2, "both vLLM servers registered");
        using var response = await http.PostAsJsonAsync("/v1/completions", new { model = GatewayFixture.Model, prompt = "hi", max_tokens = 2 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        await gateway.StopAsync();
    }

    [Fact]
    public void ConfiguredWorker_NotAUrl_IsAClearError()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Workers:0"] = "gpu-box:8000" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => GatewayHost.ConfiguredWorkers(configuration).ToList());

        Assert.Contains("Gateway:Workers:0 must be an absolute http(s) URL", error.Message, StringComparison.Ordinal);
    }
}
