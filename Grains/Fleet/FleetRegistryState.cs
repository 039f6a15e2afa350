namespace Dio.Grains.Fleet;

/// <summary>The persisted fleet: worker id → entry.</summary>
[GenerateSerializer, Alias("dio.fleet-registry-state")]
public sealed class FleetRegistryState
{
    [Id(0)] public Dictionary<string, FleetEntry> Workers { get; set; } = [];
}
