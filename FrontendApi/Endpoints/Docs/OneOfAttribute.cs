namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>Documents a property whose JSON is one of several shapes (OpenAI's <c>prompt</c>, <c>stop</c>, message
/// <c>content</c>): C# has no union type, so the property is <see cref="object"/> and <see cref="OneOfSchemaFilter"/>
/// writes <c>oneOf</c> with a schema per listed type.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class OneOfAttribute(params Type[] types) : Attribute
{
    public IReadOnlyList<Type> Types { get; } = types;
}
