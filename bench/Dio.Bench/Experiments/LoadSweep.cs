using Dio.Bench.Simulation;
using Dio.Bench.Traces;

namespace Dio.Bench.Experiments;

/// <summary>
/// Every (policy, load) of one trace on one fleet, run side by side on all cores. Each run is its own deterministic
/// simulation (its own grains, engines and seeded randomness), so running them in parallel changes nothing but the
/// wall time. Results come back in the order the settings were given.
/// </summary>
public static class LoadSweep
{
    public static IReadOnlyList<SimulationResult> Run(IReadOnlyList<TraceRequest> trace, string cluster, IEnumerable<SimulationSettings> runs) =>
        Run(trace, cluster, runs, (_, result) => result);

    /// <summary>The same, keeping what <paramref name="summarize"/> takes from each finished simulation (its per-request records, say).</summary>
    public static IReadOnlyList<T> Run<T>(IReadOnlyList<TraceRequest> trace, string cluster, IEnumerable<SimulationSettings> runs,
        Func<ClusterSimulation, SimulationResult, T> summarize) =>
        [.. runs.AsParallel().AsOrdered().WithDegreeOfParallelism(Environment.ProcessorCount).Select(settings =>
        {
            var simulation = new ClusterSimulation(trace, cluster, settings);
            return summarize(simulation, simulation.Run());
        })];

    public static IEnumerable<SimulationSettings> Grid(IEnumerable<string> policies, IEnumerable<double> loads, Func<SimulationSettings, SimulationSettings>? configure = null) =>
        from policy in policies
        from load in loads
        select (configure ?? (s => s))(new SimulationSettings(policy, load));
}
