using System.Reflection;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>Swashbuckle, set up for the gateway: the OpenAI schemas and examples, DIO's headers, and the control API's
/// credentials.</summary>
internal static class SwaggerDocs
{
    private const string DocSuffix = "Doc";

    public static IServiceCollection AddDioSwagger(this IServiceCollection services) => services.AddEndpointsApiExplorer().AddSwaggerGen(swagger =>
    {
        swagger.SwaggerDoc("v1", new()
        {
            Title = "DIO gateway",
            Version = "v1",
            Description = "OpenAI-compatible inference routed across a heterogeneous vLLM fleet, and the silo's control API " +
                "(header X-Dio-Admin-Key; sidecars register with X-Dio-Sidecar-Token). The fleet page is at /fleet.",
        });
        foreach (var (name, scheme) in ControlSecurityOperationFilter.Schemes())
        {
            swagger.AddSecurityDefinition(name, scheme);
        }

        swagger.SupportNonNullableReferenceTypes();   // a `string` property is never null; `string?` may be
        swagger.OperationFilter<InferenceOperationFilter>();
        swagger.OperationFilter<ControlSecurityOperationFilter>();
        swagger.SchemaFilter<OneOfSchemaFilter>();
        // "ChatCompletionRequest", not "ChatCompletionRequestDoc": the suffix only marks documentation-only types in code.
        swagger.CustomSchemaIds(type => type.Name.EndsWith(DocSuffix, StringComparison.Ordinal) ? type.Name[..^DocSuffix.Length] : type.Name);
        // Field descriptions come from the XML docs of the gateway's records and of the snapshots the control API returns.
        foreach (var assembly in new[] { typeof(SwaggerDocs).Assembly, typeof(Dio.Grains.WorkerSnapshot).Assembly })
        {
            if (XmlDocs(assembly) is { } path)
            {
                swagger.IncludeXmlComments(path);
            }
        }
    });

    /// <summary>The assembly's XML docs beside it, or null where a build or publish left them out.</summary>
    private static string? XmlDocs(Assembly assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml");
        return File.Exists(path) ? path : null;
    }
}
