using System.Text.Json.Nodes;

namespace Dio.FrontendApi.Endpoints.Docs;

/// <summary>OpenAPI metadata for a routed inference endpoint. The handler reads the raw body itself (it forwards the
/// client's bytes untouched), so the schema is declared here rather than inferred from a parameter.</summary>
internal static class InferenceDocsExtensions
{
    /// <summary>Statuses the gateway itself answers with an error in OpenAI's shape.</summary>
    public static readonly int[] ErrorStatuses =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status503ServiceUnavailable,
    ];

    public static RouteHandlerBuilder WithInferenceDocs<TRequest, TResponse>(this RouteHandlerBuilder builder, Func<JsonNode> requestExample,
        Func<JsonNode> responseExample, string streamExample)
        where TRequest : GenerationRequestDoc
    {
        // Accepts also drives content-type matching at run time (anything but JSON is 415), as it did before.
        builder.Accepts<TRequest>("application/json")
            .Produces<TResponse>(StatusCodes.Status200OK, "application/json", "text/event-stream")
            .WithMetadata(new InferenceDocs(requestExample, responseExample, streamExample));
        foreach (var status in ErrorStatuses)
        {
            builder.Produces<ErrorResponseDoc>(status, "application/json");
        }

        return builder;
    }
}
