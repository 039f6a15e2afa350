namespace Dio.Bench.Simulation;

/// <summary>The simulator's virtual clock, seen by the grains as a TimeProvider.</summary>
internal sealed class SimulationClock : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public double NowSeconds { get; set; }

    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks((long)(NowSeconds * TimeSpan.TicksPerSecond));

    public override long GetTimestamp() => (long)(NowSeconds * TimeSpan.TicksPerSecond);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}
