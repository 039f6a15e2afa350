using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dio.Silo.Tests;

/// <summary>The real Silo host in process (an Orleans silo on free loopback ports, memory storage), polling every 100 ms.</summary>
public class SiloFactory : WebApplicationFactory<Dio.Silo.Hosting.SiloOptions>   // any type of the Silo assembly names its entry point
{
    public const string AdminKey = "admin-key";
    public const string SidecarToken = "sidecar-token";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Silo:AdminKey", AdminKey);
        builder.UseSetting("Silo:SidecarToken", SidecarToken);
        builder.UseSetting("Workers:PollInterval", "00:00:00.100");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Dio-Admin-Key", AdminKey);
        return client;
    }
}

/// <summary>The same silo with its state in Redis.</summary>
public sealed class RedisSiloFactory(string connectionString) : SiloFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Cluster:Storage", "redis");
        builder.UseSetting("Cluster:Redis", connectionString);
        builder.UseSetting("Workers:PollInterval", "00:01:00");   // its workers are fictitious: no poll may judge them meanwhile
        builder.UseSetting("Workers:PersistInterval", "00:00:00.050");
    }
}
