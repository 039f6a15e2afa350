using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Dio.Bench.Reports;
using Dio.Bench.Traces;
using Dio.Emulator.Engine.Hardware;
using Spectre.Console;

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
                var items = TraceReader.Read(parse.GetValue(trace)!);
                var profiles = parse.GetValue(gpus)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(name => GpuProfiles.Find(name) ?? throw new FormatException($"unknown GPU '{name}'")).ToList();
                var series = profiles.Select(gpu => ConvergenceExperiment.Run(gpu, items, parse.GetValue(requests))).ToList();
                Print(series);
                if (parse.GetValue(svg) is { } svgPath)
                {
                    var chart = new SvgLineChart("T1: TTFT prediction error from a cold start (rolling mean of 10)", "requests served", "|error| / actual", logY: true);
                    foreach (var s in series)
                    {
                        chart.Add(s.Gpu, [.. s.Rolling(10).Select((e, i) => ((double)(i + 10), e))]);
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(svgPath))!);
                    File.WriteAllText(svgPath, chart.Render());
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

    private static void Print(List<ConvergenceExperiment.Series> series)
    {
        var table = new Table().Title("T1 convergence: TTFT prediction error from a cold start");
        foreach (var column in new[] { "GPU", "first 10", "requests 41–50", "last 50", "requests to ≤ 10%", "requests to ≤ 20%" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var s in series)
        {
            table.AddRow(s.Gpu, P(s.TtftErrors.Take(10).Average()), P(s.TtftErrors.Skip(40).Take(10).Average()), P(s.TtftErrors.TakeLast(50).Average()),
                N(s.RequestsUntil(0.10)), N(s.RequestsUntil(0.20)));
        }

        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 120);
        AnsiConsole.Write(table);
    }

    private static string P(double value) => value.ToString("P0", CultureInfo.InvariantCulture);

    private static string N(int requests) => requests < 0 ? "not reached" : requests.ToString(CultureInfo.InvariantCulture);
}
