namespace Dio.Silo.Hosting;

/// <summary>The control API's keys. Section "Silo"; environment variables Silo__*.</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Silo";

    /// <summary>Key for the control API (header X-Dio-Admin-Key). Without one the control API answers 401 to everyone.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Shared token sidecars present when registering and heartbeating (header X-Dio-Sidecar-Token).</summary>
    public string? SidecarToken { get; set; }

    /// <summary>Serve the Orleans Dashboard at /dashboard without the admin key. Only the embedded demo turns it on,
    /// on loopback; anywhere else the dashboard shows the cluster's insides to whoever can reach it. Default: false.</summary>
    public bool OpenDashboard { get; set; }
}
