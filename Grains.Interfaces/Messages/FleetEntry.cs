namespace Dio.Grains;

/// <summary>Where a worker's registration came from.</summary>
[GenerateSerializer, Alias("dio.registration-source")]
public enum RegistrationSource
{
    /// <summary>Its sidecar registered it and heartbeats; it leaves when deregistered.</summary>
    Sidecar = 0,

    /// <summary>A vLLM without a sidecar, named in a frontend's configuration (<c>--worker</c>, <c>Gateway:Workers</c>).</summary>
    Configuration = 1,

    /// <summary>An operator registered it through the control API.</summary>
    Operator = 2,
}

/// <summary>One worker in the fleet registry.</summary>
/// <param name="WorkerId">The worker grain's key.</param>
/// <param name="Model">Its model pool.</param>
/// <param name="Source">Who registered it.</param>
/// <param name="Healthy">The worker grain's latest verdict (not authoritative: the worker grain is).</param>
[GenerateSerializer, Immutable, Alias("dio.fleet-entry")]
public sealed record FleetEntry(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] string Model,
    [property: Id(2)] RegistrationSource Source,
    [property: Id(3)] bool Healthy = true);
