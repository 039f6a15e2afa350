using System.Text.Json.Nodes;
using Dio.FrontendApi.Inference;
using Dio.FrontendApi.Routing;

namespace Dio.FrontendApi.Endpoints;

/// <summary>The OpenAI-compatible surface: completions, chat completions (streaming or not) and the model list.</summary>
internal static class OpenAiEndpoints
{
    public static void MapOpenAiEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("OpenAI-compatible");
        group.MapPost("/chat/completions", (HttpContext context, InferenceProxy proxy) => proxy.HandleAsync(context, chat: true))
            .WithName("CreateChatCompletion")
            .WithSummary("Chat completion, routed to the worker predicted to answer first (SSE when stream is true)")
            .WithDescription("Headers: X-Dio-Tier (interactive|batch), X-Dio-Ttft-Slo-Ms. Answers carry X-Dio-Worker and X-Dio-Predicted-Ttft-Ms; " +
                "overload is 503 with Retry-After; a request no worker can ever hold is 400 with vLLM's message.")
            .Accepts<JsonObject>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status404NotFound).Produces(StatusCodes.Status413PayloadTooLarge)
            .Produces(StatusCodes.Status415UnsupportedMediaType).Produces(StatusCodes.Status502BadGateway).Produces(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/completions", (HttpContext context, InferenceProxy proxy) => proxy.HandleAsync(context, chat: false))
            .WithName("CreateCompletion")
            .WithSummary("Text completion, routed like chat completions")
            .Accepts<JsonObject>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .Produces(StatusCodes.Status400BadRequest).Produces(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/models", async (IRoutingBackend backend, CancellationToken cancellationToken) => Results.Json(new
        {
            @object = "list",
            data = (await backend.ServedModelsAsync(cancellationToken)).Select(id => new { id, @object = "model", created = 0, owned_by = "dio" }),
        })).WithName("ListModels").WithSummary("Models served by at least one healthy worker");
    }
}
