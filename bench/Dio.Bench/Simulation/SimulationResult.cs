using System.Text.Json.Serialization;

namespace Dio.Bench.Simulation;

/// <summary>What one (policy, load, seed) run measured. Goodput, SLO attainment and the offered p99 judge everything
/// offered (shed, rejected and lost requests are misses, see <see cref="Metrics.ServiceLevel"/>); the plain
/// percentiles are from arrival at the gateway, in ms, over completed requests only.</summary>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed record SimulationResult
{
    [JsonPropertyName("policy")] public required string Policy { get; init; }
    [JsonPropertyName("load")] public required double Load { get; init; }
    [JsonPropertyName("cluster")] public required string Cluster { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; } = 1;
    [JsonPropertyName("scrape_seconds")] public double ScrapeSeconds { get; init; } = 1;

    /// <summary>The sensitivity run's step-time factors, e.g. <c>L4×1.5,T4×1.5</c>; empty as calibrated.</summary>
    [JsonPropertyName("speed_scale")] public string SpeedScale { get; init; } = string.Empty;
    [JsonPropertyName("goodput_rps")] public double GoodputRps { get; init; }
    [JsonPropertyName("ttft_p99_offered_ms")] public double TtftP99OfferedMs { get; init; }
    [JsonPropertyName("admitted_fraction")] public double AdmittedFraction { get; init; }

    /// <summary>p99 TTFT at the admitted fraction common to the policies of its cell; set where policies of one cell are compared.</summary>
    [JsonPropertyName("ttft_p99_equal_admitted_ms")] public double? TtftP99EqualAdmittedMs { get; init; }

    [JsonPropertyName("offered_seconds")] public double OfferedSeconds { get; init; }
    [JsonPropertyName("requests")] public required int Requests { get; init; }
    [JsonPropertyName("completed")] public required int Completed { get; init; }
    [JsonPropertyName("shed")] public required int Shed { get; init; }
    [JsonPropertyName("rejected")] public required int Rejected { get; init; }
    /// <summary>Neither completed nor cleanly shed or rejected.</summary>
    [JsonPropertyName("lost")] public int Lost { get; init; }
    [JsonPropertyName("preemptions")] public required long Preemptions { get; init; }
    [JsonPropertyName("ttft_p50_ms")] public required double TtftP50Ms { get; init; }
    [JsonPropertyName("ttft_p90_ms")] public required double TtftP90Ms { get; init; }
    [JsonPropertyName("ttft_p99_ms")] public required double TtftP99Ms { get; init; }
    [JsonPropertyName("e2e_p50_ms")] public required double E2eP50Ms { get; init; }
    [JsonPropertyName("e2e_p90_ms")] public required double E2eP90Ms { get; init; }
    [JsonPropertyName("e2e_p99_ms")] public required double E2eP99Ms { get; init; }
    [JsonPropertyName("slo_attainment")] public required double SloAttainment { get; init; }
    [JsonPropertyName("slo_ms")] public required double SloMs { get; init; }
    [JsonPropertyName("ttft_prediction_mape")] public required double TtftPredictionMape { get; init; }
    [JsonPropertyName("e2e_prediction_mape")] public required double E2ePredictionMape { get; init; }
    [JsonPropertyName("worker_utilization")] public required IReadOnlyDictionary<string, double> WorkerUtilization { get; init; }
    [JsonPropertyName("requests_per_worker")] public required IReadOnlyDictionary<string, int> RequestsPerWorker { get; init; }
    [JsonPropertyName("learned_idle_ttft_1k_ms")] public required IReadOnlyDictionary<string, double> LearnedIdleTtft1kMs { get; init; }
    [JsonPropertyName("shed_by_reason")] public required IReadOnlyDictionary<string, int> ShedByReason { get; init; }
    [JsonPropertyName("simulated_seconds")] public required double SimulatedSeconds { get; init; }
    [JsonPropertyName("wall_seconds")] public required double WallSeconds { get; init; }

    /// <summary>Every offered request's TTFT, for figures that compare policies (not written to JSON).</summary>
    [JsonIgnore] public Metrics.ServiceLevel? ServiceLevel { get; init; }
}
