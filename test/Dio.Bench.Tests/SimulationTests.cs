using Dio.Emulator.Engine.Hardware;
using Dio.Bench.Simulation;
using Dio.Bench.Traces;

namespace Dio.Bench.Tests;

public sealed class SimulationTests
{
    [Fact]
    public void ClusterSpec_NamedAndExplicit()
    {
        Assert.Equal(8, FleetSpec.Parse("hetero-8").Count);
        Assert.Equal(["A100-80GB", "A100-80GB", "L4", "L4", "L4", "L4", "T4", "T4"], FleetSpec.Parse("hetero-8").Select(g => g.Name));
        Assert.Equal(32, FleetSpec.Parse("hetero-32").Count);
        Assert.Equal(["H100", "L4", "L4"], FleetSpec.Parse("1xH100,2xL4").Select(g => g.Name));
        Assert.Contains("unknown cluster or GPU", Assert.Throws<FormatException>(() => FleetSpec.Parse("9xB300")).Message, StringComparison.Ordinal);
    }

    [TraceFact]
    public void Run_IsDeterministic_AndAccountsForEveryRequest()
    {
        var trace = TraceReader.Read(SharedTraces.Azure).Take(1500).ToList();

        var first = new ClusterSimulation(trace, "hetero-8", new SimulationSettings("dio", 2)).Run();
        var second = new ClusterSimulation(trace, "hetero-8", new SimulationSettings("dio", 2)).Run();

        Assert.Equal(first.TtftP99Ms, second.TtftP99Ms);
        Assert.Equal(first.Shed, second.Shed);
        Assert.Equal(trace.Count, first.Completed + first.Shed + first.Rejected);
    }

    [TraceFact]
    public void Dio_LearnsTheGpus_AndSendsMostTrafficToTheFastOnes()
    {
        var trace = TraceReader.Read(SharedTraces.Azure).Take(3000).ToList();

        var result = new ClusterSimulation(trace, "hetero-8", new SimulationSettings("dio", 1)).Run();

        var learned = result.LearnedIdleTtft1kMs;
        Assert.True(learned["a100-80gb-0"] < learned["l4-2"], "A100 must be learned faster than L4");
        Assert.True(learned["l4-2"] < learned["t4-6"], "L4 must be learned faster than T4");
        var a100Share = (double)(result.RequestsPerWorker["a100-80gb-0"] + result.RequestsPerWorker["a100-80gb-1"]) / result.Completed;
        Assert.True(a100Share > 0.4, $"A100 share {a100Share:P0}");
    }

    [TraceFact]
    public void Dio_BeatsRoundRobinOnTailTtft_WithoutPreemptions()
    {
        var trace = TraceReader.Read(SharedTraces.Azure).Take(3000).ToList();

        var dio = new ClusterSimulation(trace, "hetero-8", new SimulationSettings("dio", 1)).Run();
        var roundRobin = new ClusterSimulation(trace, "hetero-8", new SimulationSettings("round-robin", 1)).Run();

        Assert.True(dio.TtftP99Ms * 3 < roundRobin.TtftP99Ms, $"dio p99 {dio.TtftP99Ms:F0} ms vs round-robin {roundRobin.TtftP99Ms:F0} ms");
        Assert.True(dio.SloAttainment > roundRobin.SloAttainment);
        Assert.Equal(0, dio.Preemptions);
    }

    /// <summary>
    /// Regression: an overloaded worker once drove its TTFT model to 10¹² ms and beyond (a floor on the intercept
    /// is not a projection in centered coordinates). Predictions must stay bounded however deep the queues get.
    /// </summary>
    [TraceTheory]
    [InlineData("round-robin", 2)]
    [InlineData("llm-d", 8)]
    public void Overload_PredictorsStayBounded(string policy, double load)
    {
        var trace = TraceReader.Read(SharedTraces.Azure);

        var result = new ClusterSimulation(trace, "hetero-8", new SimulationSettings(policy, load)).Run();

        Assert.InRange(result.TtftPredictionMape, 0, 10);
        Assert.All(result.LearnedIdleTtft1kMs.Values, ms => Assert.InRange(ms, 0, 60_000));
    }

    [Fact]
    public void Overload_ContextBeyondMaxModelLen_IsRejected()
    {
        List<TraceRequest> trace = [new(0, 9000, 10), new(0.1, 100, 10)];

        var result = new ClusterSimulation(trace, "homo-8", new SimulationSettings("dio", 1)).Run();

        Assert.Equal(1, result.Rejected);
        Assert.Equal(1, result.Completed);
    }

    [TraceFact]
    public void EveryPolicy_RunsToCompletion()
    {
        var trace = TraceReader.Read(SharedTraces.Azure).Take(400).ToList();

        foreach (var policy in Grains.Policies.RoutingPolicyNames.All.Append(OraclePolicy.PolicyName))
        {
            var result = new ClusterSimulation(trace, "hetero-8", new SimulationSettings(policy, 4)).Run();

            Assert.Equal(trace.Count, result.Completed + result.Shed + result.Rejected);
            Assert.True(result.Completed > 0, policy);
        }
    }
}
