using System.Diagnostics;
using System.Diagnostics.Metrics;
using Dio.FrontendApi.Routing;
using Dio.Grains.Observability;

namespace Dio.FrontendApi.Observability;

/// <summary>
/// The gateway's instruments (meter <c>Dio.Gateway</c>), exported on /metrics: what clients saw, per model. Model
/// labels are served models or <c>unknown</c>, never a client's string. Routing decisions and per-worker latencies
/// are the router and worker grains' (meters <c>Dio.Router</c>, <c>Dio.Workers</c>), exported by the silo hosting them.
/// </summary>
internal sealed class GatewayInstruments
{
    public const string MeterName = "Dio.Gateway";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _ttft;
    private readonly Histogram<double> _e2e;

    public GatewayInstruments(IMeterFactory meters, LeaseRenewer leases, IRoutingBackend backend)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("dio.gateway.requests", unit: "{request}", description: "Inference requests by model and outcome");
        _ttft = meter.CreateHistogram("dio.gateway.ttft", unit: "s", description: "Time to the first byte of the answer, as the client saw it",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Ttft });
        _e2e = meter.CreateHistogram("dio.gateway.e2e", unit: "s", description: "End-to-end time of completed requests, as the client saw it",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.EndToEnd });
        // Both read what this process holds already (a concurrent dictionary's count, the backend's cached fleet list).
        meter.CreateObservableGauge("dio.gateway.leases.open", () => leases.Open, unit: "{lease}",
            description: "Leases of requests this frontend is serving and renewing");
        meter.CreateObservableGauge("dio.gateway.models", () => backend.KnownModels, unit: "{model}",
            description: "Models with a registered worker, as this frontend's cached fleet list shows them");
    }

    public void Request(string model, string outcome) => _requests.Add(1, new TagList { { "model", model }, { "outcome", outcome } });

    /// <summary>A completed answer's client-side latencies (ms in, seconds out).</summary>
    public void Completed(string model, double ttftMs, double e2eMs)
    {
        var tags = new TagList { { "model", model } };
        _ttft.Record(ttftMs / 1000, tags);
        _e2e.Record(e2eMs / 1000, tags);
    }
}
