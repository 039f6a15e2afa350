using Dio.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dio.Silo.Control;

/// <summary>
/// The control API, for sidecars and operators: workers register, heartbeat and leave; operators list workers and
/// pools. Every call needs the admin key; registration and heartbeats accept the sidecar token instead. Each
/// handler is one or two grain calls, so any silo (or any frontend, as a cluster client) can serve it.
/// </summary>
public static class ControlEndpoints
{
    /// <summary>Longest worker id accepted (it becomes a grain key and a storage key).</summary>
    public const int MaxWorkerIdLength = 200;

    public static RouteGroupBuilder MapControlEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/control").WithTags("Control");
        group.MapPost("/workers", RegisterAsync).RequireAdminOrSidecar().WithName("RegisterWorker")
            .WithSummary("Register or re-register a worker (idempotent); it joins its model's pool.");
        group.MapPost("/workers/{workerId}/heartbeat", HeartbeatAsync).RequireAdminOrSidecar().WithName("Heartbeat")
            .WithSummary("A sidecar's heartbeat; 404 tells it to register again.");
        group.MapDelete("/workers/{workerId}", DeregisterAsync).RequireAdmin().WithName("DeregisterWorker")
            .WithSummary("Remove a worker: it gets no more traffic and forgets what it learned; its sidecar's next heartbeat is 404.");
        group.MapGet("/workers", ListAsync).RequireAdmin().WithName("ListWorkers")
            .WithSummary("Every worker's snapshot: registration, health, telemetry, what the predictor learned, its open leases.");
        group.MapGet("/pools", PoolsAsync).RequireAdmin().WithName("ListPools")
            .WithSummary("Every model pool: policy, members, open and expired leases, queued requests.");
        return group;
    }

    internal static async Task<Results<Ok<WorkerSnapshot>, ValidationProblem>> RegisterAsync(WorkerRegistration registration,
        HttpContext context, IGrainFactory grains)
    {
        var errors = Validate(registration);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var source = ControlAuth.IsAdmin(context) ? RegistrationSource.Operator : RegistrationSource.Sidecar;
        return TypedResults.Ok(await grains.GetGrain<IWorkerGrain>(registration.WorkerId).RegisterAsync(registration, source));
    }

    internal static async Task<Results<NoContent, NotFound, ValidationProblem>> HeartbeatAsync(string workerId, IGrainFactory grains)
    {
        if (InvalidId(workerId) is { } invalid)
        {
            return invalid;
        }

        return await grains.GetGrain<IWorkerGrain>(workerId).HeartbeatAsync() ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    internal static async Task<Results<NoContent, NotFound, ValidationProblem>> DeregisterAsync(string workerId, IGrainFactory grains)
    {
        if (InvalidId(workerId) is { } invalid)
        {
            return invalid;
        }

        return await grains.GetGrain<IWorkerGrain>(workerId).DeregisterAsync() ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    internal static async Task<Ok<List<WorkerSnapshot>>> ListAsync(IGrainFactory grains) => TypedResults.Ok(await SnapshotsAsync(grains));

    /// <summary>Every registered worker's snapshot with its router grain's lease counts (also what the gateway's fleet page shows).</summary>
    internal static async Task<List<WorkerSnapshot>> SnapshotsAsync(IGrainFactory grains)
    {
        var entries = await grains.GetGrain<IFleetRegistryGrain>(IFleetRegistryGrain.Key).ListAsync();
        var snapshots = await Task.WhenAll(entries.Select(e => grains.GetGrain<IWorkerGrain>(e.WorkerId).GetSnapshotAsync()));
        var pools = await StatusesAsync(grains, entries);
        var leases = pools.SelectMany(p => p.Leases).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return [.. snapshots.OfType<WorkerSnapshot>()
            .Select(s => leases.TryGetValue(s.Registration.WorkerId, out var open) ? s with { InFlight = open.InFlight, ReservedBlocks = open.ReservedBlocks } : s)];
    }

    internal static async Task<Ok<PoolStatus[]>> PoolsAsync(IGrainFactory grains) =>
        TypedResults.Ok(await StatusesAsync(grains, await grains.GetGrain<IFleetRegistryGrain>(IFleetRegistryGrain.Key).ListAsync()));

    /// <summary>The status of every pool the registry's workers belong to, ordered by model.</summary>
    private static Task<PoolStatus[]> StatusesAsync(IGrainFactory grains, FleetEntry[] entries) =>
        Task.WhenAll(entries.Select(e => e.Model).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(model => grains.GetGrain<IRouterGrain>(model).GetStatusAsync()));

    private static ValidationProblem? InvalidId(string workerId) =>
        workerId.Length is 0 or > MaxWorkerIdLength
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["workerId"] = [$"Must be 1 to {MaxWorkerIdLength} characters."] })
            : null;

    private static Dictionary<string, string[]> Validate(WorkerRegistration r)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.WorkerId) || r.WorkerId.Length > MaxWorkerIdLength)
        {
            errors["workerId"] = [$"Required, at most {MaxWorkerIdLength} characters."];
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
