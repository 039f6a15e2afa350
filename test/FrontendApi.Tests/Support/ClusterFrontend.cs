using Dio.Emulator.Hosting;
using Dio.FrontendApi.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Dio.FrontendApi.Tests.Support;

/// <summary>A frontend in cluster mode in this process: a stateless Orleans client of the silos it finds in Redis.</summary>
internal static class ClusterFrontend
{
    public static async Task<(WebApplication Gateway, Uri Url)> StartAsync(string redis, string cluster, string adminKey, string sidecarToken)
    {
        var port = EmulatorHost.FreePorts(1)[0];
        var gateway = GatewayHost.Build(new GatewayLaunch(false, [], "", 1, ["--urls", $"http://127.0.0.1:{port}"]), builder =>
        {
            builder.Configuration["Gateway:Mode"] = "cluster";
            builder.Configuration["Cluster:Clustering"] = "redis";
            builder.Configuration["Cluster:Redis"] = redis;
            builder.Configuration["Cluster:ClusterId"] = cluster;
            builder.Configuration["Cluster:ServiceId"] = cluster;
            builder.Configuration["Silo:AdminKey"] = adminKey;
            builder.Configuration["Silo:SidecarToken"] = sidecarToken;
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        });
        await gateway.StartAsync();
        return (gateway, GatewayHost.Address(gateway));
    }
}
