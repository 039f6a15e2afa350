using Dio.Emulator.Engine.Hardware;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Dio.Bench.Simulation;
using Dio.Bench.Traces;
using Dio.Grains.Policies;
using Spectre.Console;

namespace Dio.Bench.Cli;

/// <summary>
/// <c>simulate --trace FILE --cluster hetero-8 --policies dio,round-robin,llm-d --load 1,2,4 [--json out.json]</c>:
/// replays a trace on a simulated fleet for every (policy, load), prints a table and optionally writes JSON.
/// Bad input (missing or malformed trace, unknown cluster or policy) prints one line and exits with 2.
/// </summary>
internal static class SimulateCommand
{
    public const int UsageError = 2;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Create()
    {
        var trace = new Option<string>("--trace") { Description = "Trace file (Azure CSV, Mooncake JSONL, ShareGPT/arXiv length CSV)", Required = true };
        var cluster = new Option<string>("--cluster") { Description = "hetero-8, hetero-32, homo-8 or a spec like 2xA100-80GB,4xL4", DefaultValueFactory = _ => "hetero-8" };
        var policies = new Option<string>("--policies") { Description = $"Comma-separated: {string.Join(",", AllPolicies)}", DefaultValueFactory = _ => "dio,round-robin,llm-d" };
        var loads = new Option<string>("--load") { Description = "Comma-separated load scales (time compression), e.g. 1,2,4", DefaultValueFactory = _ => "1" };
        var json = new Option<string?>("--json") { Description = "Write the results as a JSON array to this file" };
        var slo = new Option<double>("--slo-ms") { Description = "TTFT objective in ms", DefaultValueFactory = _ => 2000 };
        var maxModelLen = new Option<int>("--max-model-len") { Description = "vLLM max_model_len of every worker (capped at its KV capacity)", DefaultValueFactory = _ => 8192 };
        var prefixCaching = new Option<bool>("--prefix-caching") { Description = "Turn on prefix caching in the engines (Mooncake hash ids)" };
        var rate = new Option<double>("--rate") { Description = "Poisson arrival rate (req/s) for length-only traces", DefaultValueFactory = _ => 2.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of arrivals, noise and randomized policies", DefaultValueFactory = _ => 1 };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar" };
        var seeds = new Option<int>("--seeds") { Description = "Run every cell with this many seeds (seed, seed+1, …)", DefaultValueFactory = _ => 1 };
        var scrapeMs = new Option<double>("--scrape-ms") { Description = "Sidecar telemetry period in ms (DIO's 1000; llm-d's default 50)", DefaultValueFactory = _ => 1000 };
        var speedScale = new Option<string?>("--speed-scale") { Description = "Step-time factors per GPU, e.g. T4=1.5,L4=1.5 (sensitivity of unvalidated profiles)" };
        var requests = new Option<int?>("--requests") { Description = "Replay only the first N requests of the trace (the report's sweeps replay 1500)" };
        var faithfulSlo = new Option<double>("--faithful-slo-ms") { Description = "Admission SLO of dio-faithful (the paper's benchmarks: 90000)", DefaultValueFactory = _ => 90_000 };

        var command = new Command("simulate", "Replay a trace on a simulated heterogeneous fleet, every policy through the real router code")
        {
            trace, cluster, policies, loads, json, slo, maxModelLen, prefixCaching, rate, seed, quiet, faithfulSlo, seeds, scrapeMs, speedScale, requests,
        };
        command.SetAction(parse => Run(
            parse.GetValue(trace)!, parse.GetValue(cluster)!, parse.GetValue(policies)!, parse.GetValue(loads)!, parse.GetValue(json),
            parse.GetValue(slo), parse.GetValue(maxModelLen), parse.GetValue(prefixCaching), parse.GetValue(rate), parse.GetValue(seed),
            parse.GetValue(quiet), parse.GetValue(faithfulSlo), parse.GetValue(seeds), parse.GetValue(scrapeMs), parse.GetValue(speedScale),
            parse.GetValue(requests)));
        return command;
    }

    /// <summary>Every policy the simulator runs, the oracles last.</summary>
    public static readonly string[] AllPolicies =
        [.. RoutingPolicyNames.All, Simulation.LlmdLatency.LlmdLatencyPolicy.PolicyName, OraclePolicy.PolicyName, OraclePolicy.SheddingName];

    private static int Run(string tracePath, string cluster, string policyList, string loadList, string? jsonPath, double sloMs,
        int maxModelLen, bool prefixCaching, double rate, int seed, bool quiet, double faithfulSloMs, int seeds, double scrapeMs, string? speedScaleList,
        int? limit = null)
    {
        try
        {
            if (seeds < 1 || !(scrapeMs > 0) || !double.IsFinite(scrapeMs) || limit < 1)
            {
                return Fail("--seeds and --requests must be at least 1 and --scrape-ms a positive number");
            }

            var speedScale = SpeedScales.Parse(speedScaleList);
            FleetSpec.Parse(cluster);
            var policies = policyList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = policies.FirstOrDefault(p => !AllPolicies.Contains(p));
            if (unknown is not null || policies.Length == 0)
            {
                return Fail($"unknown policy '{unknown}'; known: {string.Join(", ", AllPolicies)}");
            }

            var loads = loadList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : double.NaN).ToArray();
            if (loads.Length == 0 || loads.Any(double.IsNaN))
            {
                return Fail($"--load must be positive numbers separated by commas, got '{loadList}'");
            }

            var trace = TraceReader.Read(tracePath, rate, seed);
            if (limit is { } first && trace.Count > first)
            {
                trace = [.. trace.Take(first)];
            }

            var results = new List<SimulationResult>();
            var runs = (from policy in policies from load in loads from s in Enumerable.Range(seed, seeds) select new SimulationSettings(policy, load)
            {
                SloMs = sloMs, MaxModelLen = maxModelLen, PrefixCaching = prefixCaching, Seed = s, FaithfulSloMs = faithfulSloMs,
                ScrapeSeconds = scrapeMs / 1000, SpeedScale = speedScale,
            }).ToList();

            if (quiet || Console.IsOutputRedirected)
            {
                AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);   // a log file is not an 80-column terminal
                results.AddRange(runs.Select(settings => new ClusterSimulation(trace, cluster, settings).Run()));
            }
            else
            {
                AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(context =>
                    {
                        foreach (var settings in runs)
                        {
                            var task = context.AddTask($"{settings.Policy} ×{settings.Load.ToString(CultureInfo.InvariantCulture)}", maxValue: 1);
                            results.Add(new ClusterSimulation(trace, cluster, settings).Run(done => task.Value = done));
                        }
                    });
            }

            results = [.. Experiments.Cells.WithEqualAdmittedP99(results)];
            PrintTable(results, tracePath, trace.Count);
            if (jsonPath is not null)
            {
                File.WriteAllText(jsonPath, JsonSerializer.Serialize(results, Json));
                Console.WriteLine($"wrote {jsonPath}");
            }

            return 0;
        }
        catch (TraceFormatException e)
        {
            return Fail($"trace {e.Message}");
        }
        catch (FormatException e)
        {
            return Fail(e.Message);
        }
        catch (IOException e)
        {
            return Fail(e.Message);
        }
    }

    private static void PrintTable(List<SimulationResult> results, string tracePath, int requests)
    {
        var table = new Table().Title($"{Path.GetFileName(tracePath)} · {requests} requests · {results.FirstOrDefault()?.Cluster}");
        foreach (var column in new[] { "policy", "load", "seed", "goodput/s", "SLO", "p99 offered", "p99 eq. adm.", "done", "shed", "rej", "lost", "preempt", "TTFT p50", "TTFT p99 (done)", "E2E p99", "wall s" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var r in results)
        {
            table.AddRow(r.Policy, F(r.Load), $"{r.Seed}", F(r.GoodputRps), $"{r.SloAttainment:P1}", Ms(r.TtftP99OfferedMs), Ms(r.TtftP99EqualAdmittedMs ?? double.NaN),
                $"{r.Completed}", $"{r.Shed}", $"{r.Rejected}", $"{r.Lost}", $"{r.Preemptions}", Ms(r.TtftP50Ms), Ms(r.TtftP99Ms), Ms(r.E2eP99Ms), F(r.WallSeconds));
        }

        AnsiConsole.Write(table);
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "-" : double.IsPositiveInfinity(ms) ? "∞" : ms >= 10_000 ? $"{ms / 1000:F1} s" : $"{ms:F0} ms";

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return UsageError;
    }
}
