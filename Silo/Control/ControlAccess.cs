namespace Dio.Silo.Control;

/// <summary>Endpoint metadata saying which credentials a control endpoint takes, so API documentation can state it
/// (the gateway's Swagger turns it into security requirements).</summary>
/// <param name="SidecarTokenAccepted">True when the sidecar token is accepted besides the admin key.</param>
internal sealed record ControlAccess(bool SidecarTokenAccepted);
