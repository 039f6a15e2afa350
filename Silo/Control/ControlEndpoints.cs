using Dio.Grains;
using Dio.Silo.Health;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dio.Silo.Control;

/// <summary>
/// The silo's control API: workers register, heartbeat and leave; operators list snapshots; frontends in remote
/// mode route and complete through it. Every call needs the admin key; registration and heartbeats accept the
/// sidecar token instead.
/// </summary>
public static class ControlEndpoints
{
    public static RouteGroupBuilder MapControlEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/control").WithTags("Control");
        group.MapPost("/workers", RegisterAsync).RequireAdminOrSidecar().WithName("RegisterWorker")
            .WithSummary("Register or re-register a worker (idempotent); it joins its model's pool.");
        group.MapPost("/workers/{workerId}/heartbeat", HeartbeatAsync).RequireAdminOrSidecar().WithName("Heartbeat")
            .WithSummary("A sidecar's heartbeat; 404 tells it to register again.");
        group.MapDelete("/workers/{workerId}", DeregisterAsync).RequireAdmin().WithName("DeregisterWorker")
            .WithSummary("Remove a worker from its pool; requests in flight still complete.");
        group.MapGet("/workers", ListAsync).RequireAdmin().WithName("ListWorkers")
            .WithSummary("Every worker's snapshot: registration, health, telemetry and what the predictor learned.");
        group.MapPost("/route", RouteAsync).RequireAdmin().WithName("Route")
            .WithSummary("Route one request (for frontends in remote mode); waits in the bounded queue when needed.");
        group.MapPost("/started", StartedAsync).RequireAdmin().WithName("Started")
            .WithSummary("The first byte of a routed request arrived.");
        group.MapPost("/complete", CompleteAsync).RequireAdmin().WithName("Complete")
            .WithSummary("Close a reservation with what the frontend measured.");
        return group;
    }

    internal static async Task<Results<Ok<WorkerSnapshot>, ValidationProblem>> RegisterAsync(WorkerRegistration registration, IGrainDirectory grains,
        CancellationToken cancellationToken)
    {
        var errors = Validate(registration);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var worker = grains.GetWorker(registration.WorkerId);
        await worker.RegisterAsync(registration, cancellationToken);
        return TypedResults.Ok((await worker.GetSnapshotAsync(cancellationToken))!);
    }

    internal static async Task<Results<NoContent, NotFound>> HeartbeatAsync(string workerId, IGrainDirectory grains, CancellationToken cancellationToken) =>
        grains.WorkerIds.Contains(workerId) && await grains.GetWorker(workerId).GetSnapshotAsync(cancellationToken) is not null
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    internal static async Task<Results<NoContent, NotFound>> DeregisterAsync(string workerId, IGrainDirectory grains, CancellationToken cancellationToken)
    {
        if (!grains.WorkerIds.Contains(workerId))
        {
            return TypedResults.NotFound();
        }

        await grains.GetWorker(workerId).DeregisterAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<List<WorkerSnapshot>>> ListAsync(IGrainDirectory grains, CancellationToken cancellationToken)
    {
        var snapshots = new List<WorkerSnapshot>();
        foreach (var id in grains.WorkerIds.Order(StringComparer.Ordinal))
        {
            if (await grains.GetWorker(id).GetSnapshotAsync(cancellationToken) is { } snapshot)
            {
                snapshots.Add(snapshot);
            }
        }

        return TypedResults.Ok(snapshots);
    }

    internal static async Task<Results<Ok<RouteOutcome>, ValidationProblem>> RouteAsync(RouteRequestBody body, IGrainDirectory grains,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Model) || body.PromptTokens < 0 || body.PromptBytes < 0 || body.MaxTokens < 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["model is required; counts must not be negative."] });
        }

        var tier = string.Equals(body.Tier, "batch", StringComparison.OrdinalIgnoreCase) ? RequestTier.Batch : RequestTier.Interactive;
        var request = new RouteRequest(body.Model, body.PromptTokens, body.PromptBytes, body.MaxTokens, tier, body.TtftSloMs,
            body.PrefixBlocks ?? default(ReadOnlyMemory<ulong>), body.CapabilityTier, body.Exclude);
        return TypedResults.Ok(await grains.GetRouter(body.Model).RouteAsync(request, cancellationToken));
    }

    internal static async Task<NoContent> StartedAsync(StartedBody body, IGrainDirectory grains, CancellationToken cancellationToken)
    {
        await grains.GetWorker(body.WorkerId).ReportStartedAsync(body.ReservationId, cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<NoContent> CompleteAsync(CompletionReport report, IGrainDirectory grains, WorkerHealthMonitor health,
        CancellationToken cancellationToken)
    {
        await Completions.RecordAsync(grains, health, report, cancellationToken);
        return TypedResults.NoContent();
    }

    private static Dictionary<string, string[]> Validate(WorkerRegistration r)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.WorkerId))
        {
            errors["workerId"] = ["Required."];
        }

        if (!Uri.TryCreate(r.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            errors["endpoint"] = ["Must be an absolute http(s) URL."];
        }

        if (string.IsNullOrWhiteSpace(r.Model))
        {
            errors["model"] = ["Required."];
        }

        if (r.MaxModelLen <= 0 || r.NumGpuBlocks <= 0 || r.BlockSize <= 0 || r.MaxNumSeqs <= 0)
        {
            errors["capacity"] = ["maxModelLen, numGpuBlocks, blockSize and maxNumSeqs must be positive."];
        }

        return errors;
    }
}
