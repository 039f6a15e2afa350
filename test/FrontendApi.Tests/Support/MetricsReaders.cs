namespace Dio.FrontendApi.Tests;

/// <summary>
/// Tests that read a gateway's /metrics run alone, after the parallel ones. OpenTelemetry's meter provider listens
/// to meters by name, so in a test process that hosts several gateways at once each one's /metrics would also show
/// (and lose, when that host stops) the others' instruments. A deployed process hosts one, so this is the tests' own
/// concern.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsReaders
{
    public const string Name = "metrics";
}
