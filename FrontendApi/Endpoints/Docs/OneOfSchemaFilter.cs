using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>Turns a property marked <see cref="OneOfAttribute"/> into <c>oneOf</c> its listed types, keeping the description
/// its XML comment gave it.</summary>
internal sealed class OneOfSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties: { } properties } || context.Type is null)
        {
            return;
        }

        foreach (var property in context.Type.GetProperties())
        {
            if (property.GetCustomAttributes(typeof(OneOfAttribute), inherit: false) is not [OneOfAttribute oneOf]
                || JsonName(property) is not { } name || !properties.TryGetValue(name, out var existing))
            {
                continue;
            }

            properties[name] = new OpenApiSchema
            {
                Description = existing.Description,
                OneOf = [.. oneOf.Types.Select(type => context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository))],
            };
        }
    }

    private static string? JsonName(System.Reflection.PropertyInfo property) =>
        (property.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), inherit: false) is
            [System.Text.Json.Serialization.JsonPropertyNameAttribute attribute]) ? attribute.Name : null;
}
