using Dio.Silo.Control;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>
/// States the credentials of every endpoint guarded by <see cref="ControlAuth"/>: the admin key, or (registration and
/// heartbeats) the admin key or the sidecar token. Swagger UI's "Authorize" then sends the header on exactly those.
/// </summary>
internal sealed class ControlSecurityOperationFilter : IOperationFilter
{
    public const string AdminScheme = "adminKey";
    public const string SidecarScheme = "sidecarToken";

    /// <summary>The two schemes, for the document's components.</summary>
    public static IEnumerable<(string Name, OpenApiSecurityScheme Scheme)> Schemes()
    {
        yield return (AdminScheme, ApiKey(ControlAuth.AdminHeader,
            "The control API's admin key (Silo:AdminKey; `--demo` prints one). Every /control endpoint and the fleet page's data take it."));
        yield return (SidecarScheme, ApiKey(ControlAuth.SidecarHeader,
            "The token sidecars share (Silo:SidecarToken); accepted instead of the admin key to register a worker and to heartbeat."));
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ControlAccess>().FirstOrDefault() is not { } access)
        {
            return;
        }

        // Requirements in the list are alternatives: either header is enough where the sidecar token is accepted.
        operation.Security = [Requirement(AdminScheme, context.Document)];
        if (access.SidecarTokenAccepted)
        {
            operation.Security.Add(Requirement(SidecarScheme, context.Document));
        }

        operation.Responses ??= [];
        operation.Responses["401"] = new OpenApiResponse { Description = "The key is missing or wrong; nothing changed." };
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static OpenApiSecurityScheme ApiKey(string header, string description) =>
        new() { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = header, Description = description };
}
