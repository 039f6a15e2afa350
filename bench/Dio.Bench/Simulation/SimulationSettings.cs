namespace Dio.Bench.Simulation;

/// <summary>What one simulation run replays, on which fleet, with which policy.</summary>
public sealed record SimulationSettings(string Policy, double Load)
{
    public const string Model = "meta-llama/Meta-Llama-3-8B-Instruct";

    /// <summary>vLLM's max_model_len; capped per worker at its KV capacity, as vLLM refuses a larger one at start-up.</summary>
    public int MaxModelLen { get; init; } = 8192;

    /// <summary>TTFT objective for SLO attainment and DIO's interactive tier, ms.</summary>
    public double SloMs { get; init; } = 2000;

    /// <summary>The faithful DIO policy's admission SLO, ms. Default 90 s, as the paper's own benchmarks ran it
    /// (DIO_SLO_MS=90000): the Go default of 2 s is compared with a whole-generation estimate and sheds most traffic.</summary>
    public double FaithfulSloMs { get; init; } = 90_000;

    /// <summary>Telemetry scrape period of the sidecars, seconds.</summary>
    public double ScrapeSeconds { get; init; } = 1.0;

    public bool PrefixCaching { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>Generation tokens/s per GPU as an operator would measure it (SMG least_load's default_throughput);
    /// empty: measured on this trace's mix at the start of the run (<see cref="Workloads.FleetCapacity"/>).</summary>
    public IReadOnlyDictionary<string, double> MeasuredThroughput { get; init; } = new Dictionary<string, double>();

    /// <summary>Step-time factor per GPU profile name (e.g. T4 → 1.5): the emulator's sensitivity runs.</summary>
    public IReadOnlyDictionary<string, double> SpeedScale { get; init; } = new Dictionary<string, double>();

    /// <summary>The speed scales as <c>T4×1.5,L4×1.5</c>, or empty.</summary>
    public string SpeedScaleLabel => string.Join(",", SpeedScale.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value:0.##}"));
}
