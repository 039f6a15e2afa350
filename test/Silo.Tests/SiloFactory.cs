using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dio.Silo.Tests;

/// <summary>The real Silo host in process (a test cluster of one silo), polling every 100 ms.</summary>
public class SiloFactory : WebApplicationFactory<Dio.Silo.Hosting.SiloOptions>   // any type of the Silo assembly names its entry point
{
    public const string AdminKey = "admin-key";
    public const string SidecarToken = "sidecar-token";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Silo:AdminKey", AdminKey);
        builder.UseSetting("Silo:SidecarToken", SidecarToken);
        builder.UseSetting("Silo:PollInterval", "00:00:00.100");
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
        builder.UseSetting("Silo:Storage", "redis");
        builder.UseSetting("Silo:Redis", connectionString);
        builder.UseSetting("Silo:PollInterval", "00:01:00");   // its workers are fictitious: no poll may judge them meanwhile
        builder.UseSetting("Silo:PersistInterval", "00:00:00.050");
    }
}
