using System.Text.Json;
using Dio.Emulator.Serving;

namespace Dio.Emulator.Api;

/// <summary><c>/health</c>, <c>/v1/models</c>, <c>/tokenize</c> and the loopback-only <c>/fault</c>.</summary>
internal static class ServerEndpoints
{
    public static void MapServerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async (HttpContext context, EmulatedFleet fleet) =>
        {
            if (!await FaultGate.BlockAsync(fleet.For(context)!, context))
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
            }
        });

        app.MapGet("/v1/models", async (HttpContext context, EmulatedFleet fleet, TimeProvider time) =>
        {
            var server = fleet.For(context)!;
            if (await FaultGate.BlockAsync(server, context))
            {
                return;
            }

            await Results.Json(new Dictionary<string, object>
            {
                ["object"] = "list",
                ["data"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["id"] = server.Model, ["object"] = "model", ["created"] = time.GetUtcNow().ToUnixTimeSeconds(),
                        ["owned_by"] = "vllm", ["root"] = server.Model, ["max_model_len"] = server.MaxModelLen,
                    },
                },
            }).ExecuteAsync(context);
        });

        app.MapPost("/tokenize", async (HttpContext context, EmulatedFleet fleet) =>
        {
            var server = fleet.For(context)!;
            JsonDocument body;
            try
            {
                body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            }
            catch (JsonException e)
            {
                return VllmErrors.BadRequest($"Invalid JSON body: {e.Message}");
            }

            using (body)
            {
                var chat = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("messages", out _);
                var parsed = CompletionRequest.Parse(body.RootElement, chat, out var error);
                return parsed is null
                    ? VllmErrors.BadRequest(error!)
                    : Results.Json(new Dictionary<string, object>
                    {
                        ["count"] = parsed.PromptTokens,
                        ["max_model_len"] = server.MaxModelLen,
                        ["tokens"] = Enumerable.Range(1000, parsed.PromptTokens).ToArray(),
                    });
            }
        });

        app.MapPost("/fault", async (HttpContext context, EmulatedFleet fleet) =>
        {
            if (context.Connection.RemoteIpAddress is not { } remote || !System.Net.IPAddress.IsLoopback(remote))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);   // fault injection is for local tests only
            }

            var fault = await context.Request.ReadFromJsonAsync<FaultRequest>(context.RequestAborted);
            if (fault is null || !Enum.TryParse<FaultMode>(fault.Mode, ignoreCase: true, out var mode))
            {
                return VllmErrors.BadRequest($"mode must be one of: {string.Join(", ", Enum.GetNames<FaultMode>())}");
            }

            fleet.For(context)!.SetFault(mode, fault.Factor ?? 1);
            return Results.Ok(new { mode = mode.ToString(), factor = fault.Factor ?? 1 });
        });
    }

    private sealed record FaultRequest(string Mode, double? Factor);
}
