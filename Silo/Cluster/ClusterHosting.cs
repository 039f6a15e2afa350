using System.Net;
using System.Net.Sockets;
using Dio.Grains;
using Dio.Grains.Hosting;
using Dio.Silo.Dashboard;
using Dio.Silo.Tracing;
using Dio.Grains.Routing;
using Dio.Ports;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Dio.Silo.Cluster;

/// <summary>
/// Turns <see cref="DioClusterOptions"/> into an Orleans silo (the Silo host, or a frontend that embeds one) or an
/// Orleans client (a frontend in cluster mode): the same clustering either way, so both find the same cluster.
/// </summary>
public static class ClusterHosting
{
    /// <summary>Hosts a silo with DIO's grains in this process.</summary>
    public static IHostApplicationBuilder UseDioSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = Bind(builder.Configuration);
        var siloPort = PortOrDefault(cluster.SiloPort, cluster, 11111);
        var gatewayPort = PortOrDefault(cluster.GatewayPort, cluster, 30000);
        EnsureFree(siloPort, "Cluster:SiloPort");
        EnsureFree(gatewayPort, "Cluster:GatewayPort");
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = RouterGrain.GrainCallTimeout);
            if (DioTracing.Endpoint(builder.Configuration) is not null)
            {
                silo.AddActivityPropagation();   // a request's trace continues through its grain calls (a filter on every call: only when traced)
            }

            silo.AddDioDashboard();
            if (cluster.UsesRedis)
            {
                silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(cluster));
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = string.IsNullOrWhiteSpace(cluster.AdvertisedIPAddress) ? IPAddress.Loopback : IPAddress.Parse(cluster.AdvertisedIPAddress);
                    o.SiloPort = cluster.AdvertisedSiloPort > 0 ? cluster.AdvertisedSiloPort : siloPort;
                    o.GatewayPort = cluster.AdvertisedGatewayPort > 0 ? cluster.AdvertisedGatewayPort : gatewayPort;
                    o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, siloPort);
                    o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, gatewayPort);
                });
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            }

            if (cluster.StorageKind == "redis")
            {
                silo.AddRedisGrainStorage(StorageNames.Dio, o => o.ConfigurationOptions = RedisOptions(cluster));
            }
            else
            {
                silo.AddMemoryGrainStorage(StorageNames.Dio);
            }

            silo.AddDioGrains();
        });
        return builder;
    }

    /// <summary>Connects this process to the cluster as a client (stateless frontends).</summary>
    public static IHostApplicationBuilder UseDioClusterClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = Bind(builder.Configuration);
        if (!cluster.UsesRedis)
        {
            throw new InvalidOperationException(
                "A frontend in cluster mode finds the silos through Redis clustering: set Cluster:Clustering=redis and Cluster:Redis.");
        }

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = RouterGrain.GrainCallTimeout);
            if (DioTracing.Endpoint(builder.Configuration) is not null)
            {
                client.AddActivityPropagation();
            }

            client.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(cluster));
        });
        return builder;
    }

    private static DioClusterOptions Bind(IConfiguration configuration)
    {
        var cluster = configuration.GetSection(DioClusterOptions.SectionName).Get<DioClusterOptions>() ?? new DioClusterOptions();
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(cluster, new(cluster), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(DioClusterOptions.SectionName, typeof(DioClusterOptions),
                results.Select(r => $"Cluster:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        if ((cluster.UsesRedis || cluster.StorageKind == "redis") && string.IsNullOrWhiteSpace(cluster.Redis))
        {
            throw new OptionsValidationException(DioClusterOptions.SectionName, typeof(DioClusterOptions),
                ["Cluster:Redis (a StackExchange.Redis connection string) is required for Redis clustering or storage."]);
        }

        return cluster;
    }

    private static ConfigurationOptions RedisOptions(DioClusterOptions cluster)
    {
        var options = ConfigurationOptions.Parse(cluster.Redis!);
        options.AbortOnConnectFail = false;   // Redis restarting must not stop a silo: StackExchange.Redis reconnects
        if (!string.IsNullOrWhiteSpace(cluster.RedisTrustedIssuer))
        {
            options.TrustIssuer(cluster.RedisTrustedIssuer);
        }

        return options;
    }

    /// <summary>The configured port; unset: a fixed default with Redis clustering, a free port on loopback otherwise
    /// (so that any number of one-process demos and test hosts coexist on a machine).</summary>
    private static int PortOrDefault(int configured, DioClusterOptions cluster, int redisDefault) =>
        configured > 0 ? configured : cluster.UsesRedis ? redisDefault : FreePorts.Take(1)[0];

    /// <summary>
    /// Orleans binds a taken port without complaint and the newcomer then declares the running silo an "older clone"
    /// that aborts; so a second silo on the same ports must fail here, at start, before it can harm the first.
    /// </summary>
    private static void EnsureFree(int port, string setting)
    {
        if (!FreePorts.IsFree(port))
        {
            throw new InvalidOperationException($"{setting} {port} is already in use, probably by another silo on this host. " +
                "Every silo on a host needs its own Cluster:SiloPort and Cluster:GatewayPort.");
        }
    }
}
