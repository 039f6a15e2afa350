using System.CommandLine;
using BenchmarkDotNet.Running;
using Dio.Bench.Cli;

namespace Dio.Bench;

/// <summary>
/// <c>simulate …</c> replays a trace on a simulated fleet (see <see cref="SimulateCommand"/>);
/// <c>micro [BenchmarkDotNet args]</c> runs the micro-benchmarks.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "micro")
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
            return 0;
        }

        var root = new RootCommand("DIO benchmarks: the virtual-time cluster simulator and micro-benchmarks (run 'micro' for those)")
        {
            SimulateCommand.Create(),
            Experiments.ConvergenceCommand.Create(),
            CapacityCommand.Create(),
            ReportCommand.Create(),
            Replay.ReplayExperiment.Create(),
            GrainCalls.GrainCallCommand.Create(),
            Overload.OverloadCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            return SimulateCommand.UsageError;
        }

        return parse.Invoke();
    }
}
