using System.CommandLine;
using System.Globalization;
using Dio.Bench.Traces;
using Dio.Bench.Workloads;

namespace Dio.Bench.Cli;

/// <summary><c>capacity --trace FILE --cluster hetero-8</c>: the fleet's saturated throughput for the trace's request mix.</summary>
internal static class CapacityCommand
{
    public static Command Create()
    {
        var trace = new Option<string>("--trace") { Description = "Trace whose request lengths make the mix", Required = true };
        var cluster = new Option<string>("--cluster") { Description = "Fleet", DefaultValueFactory = _ => "hetero-8" };
        var maxModelLen = new Option<int>("--max-model-len") { Description = "vLLM max_model_len", DefaultValueFactory = _ => 8192 };
        var prefixCaching = new Option<bool>("--prefix-caching") { Description = "Prefix caching on (Mooncake hash ids)" };
        var command = new Command("capacity", "Saturated throughput of a fleet (requests/s) for a trace's request mix") { trace, cluster, maxModelLen, prefixCaching };
        command.SetAction(parse =>
        {
            try
            {
                var result = FleetCapacity.Measure(parse.GetValue(cluster)!, TraceReader.Read(parse.GetValue(trace)!), parse.GetValue(maxModelLen),
                    parse.GetValue(prefixCaching));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Cluster}: {result.RequestsPerSecond:0.###} req/s"));
                foreach (var (gpu, rate) in result.PerGpu)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {gpu}: {rate:0.###} req/s per GPU"));
                }

                return 0;
            }
            catch (Exception e) when (e is TraceFormatException or FormatException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return SimulateCommand.UsageError;
            }
        });
        return command;
    }
}
