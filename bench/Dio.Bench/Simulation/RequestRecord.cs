namespace Dio.Bench.Simulation;

/// <summary>One request's fate: when it arrived, its TTFT if it completed (ms from arrival), or whether it was
/// shed (503 + Retry-After) or rejected (fits no worker).</summary>
public readonly record struct RequestRecord(double ArrivalSeconds, double? TtftMs, bool Shed, bool Rejected);
