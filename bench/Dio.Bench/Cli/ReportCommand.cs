using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Dio.Bench.Experiments;
using Dio.Bench.Reports;
using Dio.Bench.Simulation;
using Dio.Bench.Traces;
using Dio.Bench.Workloads;
using Dio.Grains.Policies;

namespace Dio.Bench.Cli;

/// <summary>
/// <c>report</c>: regenerates every measured table and plot of docs/results.md in one run (T1, T2, T4, T5, T7,
/// T9–T11, the goals and, unless <c>--skip-http</c>, the HTTP replay; the gateway overhead is bench/overhead/run.sh, with wrk and nginx in their own processes). Each section writes
/// its data to docs/data/KEY.json, its plots to docs/plots/KEY*.svg, and its tables into the document's
/// <c>report:KEY</c> block. <c>--only KEY,…</c> regenerates some sections (and whatever they are computed from).
/// </summary>
internal static class ReportCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The policies of the overload and spike experiments: DIO and the baselines that matter (the oracle never sheds).</summary>
    private static readonly string[] FloodPolicies =
        [RoutingPolicyNames.Dio, RoutingPolicyNames.RoundRobin, RoutingPolicyNames.LeastOutstanding, RoutingPolicyNames.Llmd,
         RoutingPolicyNames.SmgLeastLoad, RoutingPolicyNames.DynamoKv];

    private static readonly double[] AzureLoads = [0.0625, 0.125, 0.25, 0.5, 1, 2, 4, 8];
    private static readonly double[] Loads = [1, 2, 4, 8];

    public static readonly TraceCase[] Traces =
    [
        new("t11-azure-code", "Azure code", "AzureLLMInferenceTrace_code.csv", "hetero-8", AzureLoads),
        new("t2-azure-code-homo8", "Azure code", "AzureLLMInferenceTrace_code.csv", "homo-8", AzureLoads) { HasSection = false },
        new("t9-sharegpt", "ShareGPT", "sharegpt_8k_filtered_stats_llama2_tokenizer.csv", "hetero-8", Loads) { LengthOnly = true, Limit = 8000 },
        new("t10-arxiv", "arXiv summarization", "arxiv_summarization_stats_llama2_tokenizer_filtered_v2.csv", "hetero-8", Loads) { LengthOnly = true, Limit = 8000 },
        new("t11-mooncake", "Mooncake conversation", "mooncake_conversation_trace.jsonl", "hetero-32", Loads) { MaxModelLen = 32768, PrefixCaching = true },
    ];

    public static Command Create()
    {
        var traces = new Option<string>("--traces") { Description = "Folder of the shared traces", DefaultValueFactory = _ => "../shared/traces" };
        var docs = new Option<string>("--docs") { Description = "Folder of results.md, data/ and plots/", DefaultValueFactory = _ => "docs" };
        var only = new Option<string?>("--only") { Description = "Comma-separated section keys (default: all)" };
        var skipHttp = new Option<bool>("--skip-http") { Description = "Leave out the section that runs real HTTP servers (replay)" };
        var seed = new Option<int>("--seed") { Description = "Seed of arrivals, noise and randomized policies", DefaultValueFactory = _ => 1 };
        var command = new Command("report", "Regenerate docs/results.md's measured tables and plots in one run") { traces, docs, only, skipHttp, seed };
        command.SetAction((parse, cancellation) => new Run(parse.GetValue(traces)!, parse.GetValue(docs)!, parse.GetValue(seed))
            .ExecuteAsync(parse.GetValue(only), parse.GetValue(skipHttp)));
        return command;
    }

    private sealed class Run(string tracesDirectory, string docsDirectory, int seed)
    {
        private readonly Dictionary<string, PreparedTrace> _prepared = [];
        private readonly Dictionary<string, (PreparedTrace Trace, IReadOnlyList<SimulationResult> Results)> _sweeps = [];
        private IReadOnlyList<OverloadExperiment.Row>? _overload;
        private string _document = string.Empty;

        private string ResultsPath => Path.Combine(docsDirectory, "results.md");

        public async Task<int> ExecuteAsync(string? only, bool skipHttp)
        {
            var sections = new Dictionary<string, Func<Task<string>>>
            {
                ["t1"] = () => Task.FromResult(Convergence()),
                ["t7"] = () => Task.FromResult(Scalability()),
                ["t2"] = () => Task.FromResult(Heterogeneity()),
                ["t4"] = () => Task.FromResult(Overload()),
                ["t5"] = () => Task.FromResult(Spike()),
                ["goals"] = () => Task.FromResult(Goals()),
            };
            foreach (var trace in Traces.Where(t => t.HasSection))
            {
                sections[trace.Key] = () => Task.FromResult(TailLatency(trace));
            }

            if (!skipHttp)
            {
                sections["replay"] = () => Replay.ReplayExperiment.ReportAsync(tracesDirectory, docsDirectory, seed);
            }

            var keys = only?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [.. sections.Keys];
            if (keys.FirstOrDefault(k => !sections.ContainsKey(k)) is { } unknown)
            {
                Console.Error.WriteLine($"error: unknown section '{unknown}'; known: {string.Join(", ", sections.Keys)}");
                return SimulateCommand.UsageError;
            }

            try
            {
                _document = await File.ReadAllTextAsync(ResultsPath);
                Directory.CreateDirectory(Path.Combine(docsDirectory, "data"));
                Directory.CreateDirectory(Path.Combine(docsDirectory, "plots"));
                foreach (var key in keys)
                {
                    var watch = Stopwatch.StartNew();
                    _document = ReportDocument.Replace(_document, key, await sections[key]());
                    await File.WriteAllTextAsync(ResultsPath, _document);
                    Console.WriteLine($"{key}: {watch.Elapsed.TotalSeconds:0.0} s");
                }

                return 0;
            }
            catch (Exception e) when (e is TraceFormatException or FormatException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return SimulateCommand.UsageError;
            }
        }

        /// <summary>A trace read and its fleet's capacity measured once per run, whichever sections use it.</summary>
        private PreparedTrace Prepared(string key)
        {
            if (!_prepared.TryGetValue(key, out var trace))
            {
                _prepared[key] = trace = Traces.Single(t => t.Key == key).Prepare(tracesDirectory, seed);
            }

            return trace;
        }

        private (PreparedTrace Trace, IReadOnlyList<SimulationResult> Results) Sweep(string key)
        {
            if (!_sweeps.TryGetValue(key, out var sweep))
            {
                var trace = Prepared(key);
                var traceCase = trace.Case;
                var results = LoadSweep.Run(trace.Requests, traceCase.Cluster, LoadSweep.Grid(SimulateCommand.AllPolicies, traceCase.Loads,
                    s => s with { Seed = seed, MaxModelLen = traceCase.MaxModelLen, PrefixCaching = traceCase.PrefixCaching }));
                _sweeps[key] = sweep = (trace, results);
                Save(key, new { capacity = trace.Capacity, load1_rps = trace.Load1Rps, requests = trace.Requests.Count, results });
            }

            return sweep;
        }

        private string TailLatency(TraceCase traceCase)
        {
            var (trace, results) = Sweep(traceCase.Key);
            var p99 = Plot($"{traceCase.Key}-p99", TailLatencyReport.PlotP99(trace, results));
            var slo = Plot($"{traceCase.Key}-slo", TailLatencyReport.PlotSlo(trace, results));
            return $"{TailLatencyReport.Render(trace, results)}\n![p99 TTFT vs load]({p99}) ![SLO attainment vs load]({slo})\n";
        }

        private string Convergence()
        {
            var series = ConvergenceCommand.Run(TraceReader.Read(Path.Combine(tracesDirectory, "AzureLLMInferenceTrace_code.csv")),
                "T4,L4,A10G,A100-80GB,H100", 200);
            Save("t1-convergence", series);
            return $"{ConvergenceExperiment.Render(series)}\n![T1 convergence]({Plot("t1-convergence", ConvergenceExperiment.Plot(series))})\n";
        }

        private string Scalability()
        {
            var rows = ScalabilityExperiment.Run([16, 32, 256, 1024], [RoutingPolicyNames.Dio, RoutingPolicyNames.Llmd]);
            Save("t7-scalability", rows);
            return $"{ScalabilityExperiment.Render(rows)}\n![T7 decision cost]({Plot("t7-decision-cost", ScalabilityExperiment.Plot(rows))})\n";
        }

        private string Heterogeneity()
        {
            var (heteroTrace, hetero) = Sweep("t11-azure-code");
            var (homoTrace, homo) = Sweep("t2-azure-code-homo8");
            var loads = hetero.Select(r => r.Load).Distinct().Order().ToList();
            string Lead(IReadOnlyList<SimulationResult> results, double load)
            {
                var dio = TailLatencyReport.Find(results, RoutingPolicyNames.Dio, load)!;
                var best = GoalsCheck.BestBaseline(results, load);
                return $"{Markdown.Ms(dio.TtftP99Ms)} vs `{best.Policy}` {Markdown.Ms(best.TtftP99Ms)} ({Markdown.Ratio(best.TtftP99Ms / dio.TtftP99Ms)})";
            }

            var table = Markdown.Table(["load", "hetero-8: `dio` p99 vs best baseline (ratio)", "homo-8: `dio` p99 vs best baseline (ratio)"],
                loads.Select(l => new[] { Markdown.Number(l), Lead(hetero, l), Lead(homo, l) }));
            return $"""
                Saturated capacity for the Azure code mix: hetero-8 {Markdown.Number(heteroTrace.Capacity.RequestsPerSecond, "0.0")} req/s, homo-8 {Markdown.Number(homoTrace.Capacity.RequestsPerSecond, "0.0")} req/s. A ratio above 1× means `dio`'s p99 TTFT is lower.

                {table}
                Every policy on homo-8 (p99 TTFT):

                {TailLatencyReport.Render(homoTrace, homo)}
                """;
        }

        private IReadOnlyList<OverloadExperiment.Row> OverloadRows()
        {
            if (_overload is null)
            {
                var trace = Prepared(Traces[0].Key);
                _overload = OverloadExperiment.Run(trace.Requests, trace.Case.Cluster, trace.Capacity.RequestsPerSecond, [2, 4, 8], FloodPolicies,
                    floodSeconds: 60, seed);
                Save("t4-overload", _overload.Select(r => new { r.Policy, r.Factor, r.OfferedRps, r.Result }));
            }

            return _overload;
        }

        private string Overload() => OverloadExperiment.Render(OverloadRows());

        private string Spike()
        {
            var trace = Prepared(Traces[0].Key);
            var settings = new SpikeExperiment.Settings(SteadyRps: 0.3 * trace.Capacity.RequestsPerSecond, Seed: seed);
            var rows = SpikeExperiment.Run(trace.Requests, trace.Case.Cluster, FloodPolicies, settings, sloMs: 2000);
            Save("t5-spike", new { settings, rows });
            return $"Steady {Markdown.Number(settings.SteadyRps, "0.0")} req/s (30% of capacity), burst {Markdown.Number(settings.SteadyRps * settings.BurstFactor, "0.0")} req/s for {Markdown.Number(settings.BurstSeconds)} s at t = {Markdown.Number(settings.BurstStart)} s.\n\n"
                + $"{SpikeExperiment.Render(rows)}\n![T5 spike]({Plot("t5-spike", SpikeExperiment.Plot(rows, settings))})\n";
        }

        private string Goals()
        {
            var goals = GoalsCheck.Evaluate(Sweep("t11-azure-code").Results, Sweep("t2-azure-code-homo8").Results, OverloadRows());
            Save("goals", goals);
            return GoalsCheck.Render(goals);
        }

        private void Save<T>(string key, T data) =>
            File.WriteAllText(Path.Combine(docsDirectory, "data", $"{key}.json"), JsonSerializer.Serialize(data, Indented));

        /// <summary>Writes the chart and returns its path relative to results.md.</summary>
        private string Plot(string name, SvgLineChart chart)
        {
            File.WriteAllText(Path.Combine(docsDirectory, "plots", $"{name}.svg"), chart.Render());
            return $"plots/{name}.svg";
        }
    }
}
