using System.Diagnostics;
using Dio.Grains;

namespace Dio.FrontendApi.Observability;

/// <summary>
/// The gateway's spans. <c>dio.route</c> covers the routing decision (the one blocking grain call) and carries
/// what was decided and why: the chosen worker, the verdict, the shed reason and the score's parts (ALGORITHMS.md
/// §2.6), so a slow or surprising choice can be read off the trace.
/// </summary>
internal static class GatewayTracing
{
    public const string SourceName = "Dio.Gateway";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly string[] TraceHeaders = ["traceparent", "tracestate"];

    public static void Describe(Activity? span, in RouteOutcome outcome, int attempt)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag("dio.attempt", attempt);
        span.SetTag("dio.verdict", outcome.Verdict.ToString());
        span.SetTag("dio.prompt_tokens", outcome.PromptTokens);
        if (outcome.Verdict == RouteVerdict.Routed)
        {
            span.SetTag("dio.worker", outcome.WorkerId);
            span.SetTag("dio.predicted_ttft_ms", outcome.PredictedTtftMs);
            span.SetTag("dio.predicted_e2e_ms", outcome.PredictedE2eMs);
            span.SetTag("dio.score.wait_ms", outcome.Score.WaitMs);
            span.SetTag("dio.score.service_ms", outcome.Score.ServiceMs);
            span.SetTag("dio.score.tier_ms", outcome.Score.TierMs);
            span.SetTag("dio.score.memory_ms", outcome.Score.MemoryMs);
            span.SetTag("dio.score.cache_ms", outcome.Score.CacheMs);
            span.SetTag("dio.score.total_ms", outcome.Score.TotalMs);
        }
        else
        {
            span.SetTag("dio.shed_reason", outcome.ShedReason.ToString());
        }
    }

    /// <summary>
    /// With a tracer, HttpClient writes the forward's own <c>traceparent</c>. Without one there is no span to
    /// continue, so the client's W3C trace context is passed on as it came: vLLM (which accepts it) still joins
    /// the client's trace.
    /// </summary>
    public static void PassOnTraceContext(HttpContext context, HttpRequestMessage upstream)
    {
        if (Activity.Current is not null)
        {
            return;
        }

        foreach (var header in TraceHeaders)
        {
            if (context.Request.Headers.TryGetValue(header, out var value) && value.Count == 1)
            {
                upstream.Headers.TryAddWithoutValidation(header, (string?)value);
            }
        }
    }
}
