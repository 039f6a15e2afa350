using System.Net.Http.Json;
using Dio.Grains;
using Dio.Silo.Control;

namespace Dio.FrontendApi.Routing;

/// <summary>
/// Remote mode (<c>Silo:Url</c>): many stateless frontends share one control plane over its control API. Served
/// models are cached for a second; telemetry comes from the silo's own polling.
/// </summary>
internal sealed class RemoteRoutingBackend(HttpClient silo, TimeProvider time) : IRoutingBackend
{
    public const string ClientName = "remote-silo";
    private static readonly TimeSpan ModelsFreshFor = TimeSpan.FromSeconds(1);
    private (IReadOnlyList<string> Models, long At)? _models;

    public async ValueTask<RouteOutcome> RouteAsync(RouteRequest request, CancellationToken cancellationToken)
    {
        var body = new RouteRequestBody(request.Model, request.PromptTokens, request.PromptBytes, request.MaxTokens,
            request.Tier == RequestTier.Batch ? "batch" : "interactive", request.TtftSloMs, request.PrefixBlocks.ToArray(),
            request.CapabilityTier, request.ExcludedWorkers?.ToArray());
        using var response = await silo.PostAsJsonAsync("/control/route", body, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<RouteOutcome>(cancellationToken);
    }

    public async ValueTask StartedAsync(string workerId, long reservationId, CancellationToken cancellationToken)
    {
        using var response = await silo.PostAsJsonAsync("/control/started", new StartedBody(workerId, reservationId), cancellationToken);
    }

    public async ValueTask CompleteAsync(CompletionReport report, CancellationToken cancellationToken)
    {
        using var response = await silo.PostAsJsonAsync("/control/complete", report, cancellationToken);
    }

    public ValueTask ReportTelemetryAsync(string workerId, WorkerTelemetry telemetry, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public string PolicyOf(string model) => "remote";

    public async ValueTask<bool> ServesAsync(string model, CancellationToken cancellationToken) =>
        (await ServedModelsAsync(cancellationToken)).Contains(model);

    public async ValueTask<IReadOnlyList<string>> ServedModelsAsync(CancellationToken cancellationToken)
    {
        if (_models is { } cached && time.GetElapsedTime(cached.At) < ModelsFreshFor)
        {
            return cached.Models;
        }

        var workers = await silo.GetFromJsonAsync<List<WorkerSnapshot>>("/control/workers", cancellationToken) ?? [];
        IReadOnlyList<string> models = [.. workers.Where(w => w.Healthy).Select(w => w.Registration.Model).Distinct().Order(StringComparer.Ordinal)];
        _models = (models, time.GetTimestamp());
        return models;
    }
}
