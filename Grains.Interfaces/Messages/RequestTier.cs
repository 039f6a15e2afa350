namespace Dio.Grains;

/// <summary>Service class of a request (header <c>X-Dio-Tier</c>).</summary>
[GenerateSerializer, Alias("dio.request-tier")]
public enum RequestTier
{
    /// <summary>A person is waiting: scored on time to first token, TTFT SLO 2 s by default.</summary>
    Interactive = 0,

    /// <summary>Throughput work: scored on end-to-end time, TTFT SLO 30 s by default.</summary>
    Batch = 1,
}
