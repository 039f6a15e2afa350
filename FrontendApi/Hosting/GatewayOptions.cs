namespace Dio.FrontendApi.Hosting;

/// <summary>Section "Gateway"; environment variables Gateway__*.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>"embedded" (default: a silo runs in this process, the one-command demo) or "cluster" (this process is a
    /// stateless Orleans client of the silos named by <c>Cluster:*</c>; run as many as you like).</summary>
    public string Mode { get; set; } = "embedded";

    /// <summary>vLLM servers without a sidecar to register (<c>Gateway__Workers__0=http://gpu-a100:8000</c>); the same as
    /// <c>--worker URL</c>.</summary>
    public List<string> Workers { get; } = [];
}
