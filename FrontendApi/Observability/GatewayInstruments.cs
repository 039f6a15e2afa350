using System.Diagnostics.Metrics;

namespace Dio.FrontendApi.Observability;

/// <summary>The gateway's instruments (meter <c>Dio.Gateway</c>), exported on /metrics.</summary>
public sealed class GatewayInstruments
{
    public const string MeterName = "Dio.Gateway";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _ttft;
    private readonly Histogram<double> _e2e;
    private readonly Histogram<double> _predictionError;

    public GatewayInstruments(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("dio.gateway.requests", unit: "{request}", description: "Inference requests by model and outcome");
        _decisions = meter.CreateCounter<long>("dio.router.decisions", unit: "{decision}", description: "Routing decisions by policy, verdict and shed reason");
        _ttft = meter.CreateHistogram<double>("dio.gateway.ttft", unit: "ms", description: "Time to first byte of the answer, as the client saw it");
        _e2e = meter.CreateHistogram<double>("dio.gateway.e2e", unit: "ms", description: "End-to-end time of completed requests");
        _predictionError = meter.CreateHistogram<double>("dio.worker.prediction_error", unit: "ms",
            description: "|predicted − measured| TTFT per worker");
    }

    public void Request(string model, string outcome) =>
        _requests.Add(1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("outcome", outcome));

    public void Decision(string policy, string verdict, string reason) => _decisions.Add(1,
        new KeyValuePair<string, object?>("policy", policy), new KeyValuePair<string, object?>("verdict", verdict),
        new KeyValuePair<string, object?>("reason", reason));

    public void Completed(string workerId, double ttftMs, double e2eMs, double predictedTtftMs)
    {
        _ttft.Record(ttftMs);
        _e2e.Record(e2eMs);
        _predictionError.Record(Math.Abs(predictedTtftMs - ttftMs), new KeyValuePair<string, object?>("worker", workerId));
    }
}
