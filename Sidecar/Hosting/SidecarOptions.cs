using System.ComponentModel.DataAnnotations;

namespace Dio.Sidecar.Hosting;

/// <summary>Section "Sidecar"; environment variables Sidecar__*.</summary>
public sealed class SidecarOptions
{
    public const string SectionName = "Sidecar";

    /// <summary>Base URL of the vLLM server beside us, e.g. http://127.0.0.1:8000. Required.</summary>
    [Required]
    public Uri? Upstream { get; set; }

    /// <summary>Base URL of the DIO silo to register with; none means no registration (the silo polls us).</summary>
    public Uri? SiloUrl { get; set; }

    /// <summary>Shared token that authenticates registrations and heartbeats to the silo.</summary>
    public string? Token { get; set; }

    /// <summary>URL the gateway should send this worker's traffic to (this sidecar's public address). Required with SiloUrl.</summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Worker id; default: the public URL's host and port.</summary>
    public string? WorkerId { get; set; }

    /// <summary>GPU name when nvidia-smi is not available, e.g. "A100-80GB".</summary>
    public string? GpuName { get; set; }

    /// <summary>vLLM's max_num_seqs (vLLM does not publish it). Default: 256, vLLM's default below 70 GiB and on A100s.</summary>
    [Range(1, 65_536)]
    public int MaxNumSeqs { get; set; } = 256;

    /// <summary>DIO capability tier label. Default: "small".</summary>
    public string Tier { get; set; } = "small";

    /// <summary>How often vLLM's /metrics is read. Default: 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the sidecar heartbeats to the silo. Default: 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);
}
