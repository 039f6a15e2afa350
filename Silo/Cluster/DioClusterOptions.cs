using System.ComponentModel.DataAnnotations;

namespace Dio.Silo.Cluster;

/// <summary>
/// How a process joins DIO's Orleans cluster. Section "Cluster"; environment variables Cluster__*. The defaults run
/// one silo on loopback with memory storage (the demo, the tests); production sets <c>Clustering=redis</c>.
/// </summary>
public sealed class DioClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>"localhost" (default: one process, development) or "redis" (any number of silos and clients).</summary>
    [RegularExpression("^(localhost|redis)$")]
    public string Clustering { get; set; } = "localhost";

    /// <summary>Grain storage: "memory" (nothing survives the process) or "redis". Default: the clustering's.</summary>
    [RegularExpression("^(memory|redis)$")]
    public string? Storage { get; set; }

    /// <summary>StackExchange.Redis connection string, e.g. <c>localhost:6379</c> or
    /// <c>name.redis.cache.windows.net:6380,password=…,ssl=true,abortConnect=false</c> (AUTH and TLS as the string says).</summary>
    public string? Redis { get; set; }

    /// <summary>PEM file of a CA to trust for Redis' TLS certificate, besides the system's (a private Redis with its own
    /// CA). Unset: the system's trust store only, which is right for Azure Cache for Redis.</summary>
    public string? RedisTrustedIssuer { get; set; }

    /// <summary>Orleans cluster id: silos and clients with the same one form one cluster. Default: dio.</summary>
    [Required]
    public string ClusterId { get; set; } = "dio";

    /// <summary>Orleans service id: grain state is keyed by it, so it must stay the same across deployments. Default: dio.</summary>
    [Required]
    public string ServiceId { get; set; } = "dio";

    /// <summary>Silo-to-silo port. Every silo on one host needs its own. Default: 11111 with Redis clustering; a free
    /// port with localhost clustering.</summary>
    [Range(0, 65535)]
    public int SiloPort { get; set; }

    /// <summary>Port clients (frontends) connect to. Every silo on one host needs its own. Default: 30000 with Redis
    /// clustering; a free port with localhost clustering.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; }

    /// <summary>Address other silos and clients reach this silo at (Azure Container Apps: the environment's static IP).
    /// Default: loopback, which is right for every silo on one host and for nothing else: set it on a real network.</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>Port advertised to others for <see cref="SiloPort"/> when ingress maps it (Container Apps). Default: the same.</summary>
    [Range(0, 65535)]
    public int AdvertisedSiloPort { get; set; }

    /// <summary>Port advertised to clients for <see cref="GatewayPort"/> when ingress maps it. Default: the same.</summary>
    [Range(0, 65535)]
    public int AdvertisedGatewayPort { get; set; }

    internal bool UsesRedis => Clustering == "redis";

    internal string StorageKind => Storage ?? (UsesRedis ? "redis" : "memory");
}
