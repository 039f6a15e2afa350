using Dio.FrontendApi.Endpoints.Docs;
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
            .WithDescription("DIO predicts, per worker, the time to first token and the end-to-end time, keeps the workers whose free KV " +
                "cache can hold the request, and sends it to the fastest; when none can take it, it waits briefly or is shed (503 + Retry-After).")
            .WithInferenceDocs<ChatCompletionRequestDoc, ChatCompletionResponseDoc>(DocExamples.ChatRequest, DocExamples.ChatResponse,
                DocExamples.ChatStream);
        group.MapPost("/completions", (HttpContext context, InferenceProxy proxy) => proxy.HandleAsync(context, chat: false))
            .WithName("CreateCompletion")
            .WithSummary("Text completion, routed like chat completions (SSE when stream is true)")
            .WithInferenceDocs<CompletionRequestDoc, CompletionResponseDoc>(DocExamples.CompletionRequest,
                DocExamples.CompletionResponse, DocExamples.CompletionStream);
        group.MapGet("/models", async (IRoutingBackend backend, CancellationToken cancellationToken) => Results.Json(new
        {
            @object = "list",
            data = (await backend.ServedModelsAsync(cancellationToken)).Select(id => new { id, @object = "model", created = 0, owned_by = "dio" }),
        })).WithName("ListModels").WithSummary("Models served by at least one healthy worker")
            .Produces<ModelListDoc>(StatusCodes.Status200OK, "application/json");
    }
}
