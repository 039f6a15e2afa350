using System.CommandLine;
using System.Text.Json;
using Dio.Bench.Traces;
using Dio.Emulator.Engine.Hardware;

namespace Dio.Bench.Experiments;

/// <summary><c>convergence --trace FILE [--gpus T4,L4,…] [--requests 200] [--svg out.svg] [--json out.json]</c>: the paper's T1.</summary>
internal static class ConvergenceCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var trace = new Option<string>("--trace") { Description = "Trace whose requests are served", Required = true };
        var gpus = new Option<string>("--gpus") { Description = "GPU profiles", DefaultValueFactory = _ => "T4,L4,A10G,A100-80GB,H100" };
        var requests = new Option<int>("--requests") { Description = "Requests per GPU", DefaultValueFactory = _ => 200 };
        var svg = new Option<string?>("--svg") { Description = "Write the plot (rolling TTFT error vs requests) here" };
        var json = new Option<string?>("--json") { Description = "Write the per-request errors here" };
        var command = new Command("convergence", "T1: how fast a cold worker learns its GPU's TTFT, per GPU profile") { trace, gpus, requests, svg, json };
        command.SetAction(parse =>
        {
            try
            {
                var series = Run(TraceReader.Read(parse.GetValue(trace)!), parse.GetValue(gpus)!, parse.GetValue(requests));
                Console.WriteLine(ConvergenceExperiment.Render(series));
                if (parse.GetValue(svg) is { } svgPath)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(svgPath))!);
                    File.WriteAllText(svgPath, ConvergenceExperiment.Plot(series).Render());
                }

                if (parse.GetValue(json) is { } jsonPath)
                {
                    File.WriteAllText(jsonPath, JsonSerializer.Serialize(series, Indented));
                }

                return 0;
            }
            catch (Exception e) when (e is TraceFormatException or FormatException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    public static IReadOnlyList<ConvergenceExperiment.Series> Run(IReadOnlyList<TraceRequest> trace, string gpuList, int requests) =>
        [.. gpuList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(name => GpuProfiles.Find(name) ?? throw new FormatException($"unknown GPU '{name}'"))
            .Select(gpu => ConvergenceExperiment.Run(gpu, trace, requests))];
}
