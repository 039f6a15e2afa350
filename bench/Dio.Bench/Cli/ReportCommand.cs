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

    /// <summary>Requests replayed from each trace: its first N. The headline (Azure code on hetero-8) replays 3,000 over
    /// every seed; every other sweep 1,500 over one seed, so that the whole evaluation runs in one sitting on the
    /// 2-core reference machine (about 15 minutes).</summary>
    public const int RequestsPerTrace = 1500;

    public const int HeadlineRequests = 3000;

    /// <summary>Seeds of the repeats of the headline (50 ms scrape, scaled profiles).</summary>
    public const int RepeatSeeds = 3;

    private static readonly (string Key, string Title, string File, int MaxModelLen, bool Prefix, bool LengthOnly)[] TraceFiles =
    [
        ("azure-code", "Azure code", "AzureLLMInferenceTrace_code.csv", 8192, false, false),
        ("mooncake-conversation", "Mooncake conversation", "mooncake_conversation_trace.jsonl", 32768, true, false),
        ("mooncake-synthetic", "Mooncake synthetic", "mooncake_synthetic_trace.jsonl", 32768, true, false),
        ("sharegpt", "ShareGPT", "sharegpt_8k_filtered_stats_llama2_tokenizer.csv", 8192, false, true),
        ("arxiv", "arXiv summarization", "arxiv_summarization_stats_llama2_tokenizer_filtered_v2.csv", 8192, false, true),
    ];

    private static readonly string[] Fleets = ["hetero-8", "hetero-32", "homo-8"];

    /// <summary>Every trace on every fleet; the first (Azure code on hetero-8) is the headline the scrape and
    /// sensitivity runs repeat.</summary>
    public static readonly TraceCase[] Traces =
        [.. from fleet in Fleets
            from t in TraceFiles
            select new TraceCase($"eval-{t.Key}-{fleet}", t.Title, t.File, fleet, EvaluationSweep.CapacityShares)
            {
                MaxModelLen = t.MaxModelLen, PrefixCaching = t.Prefix, LengthOnly = t.LengthOnly,
                Limit = fleet == Fleets[0] && t.Key == TraceFiles[0].Key ? HeadlineRequests : RequestsPerTrace,
            }];

    public static Command Create()
    {
        var traces = new Option<string>("--traces") { Description = "Folder of the shared traces", DefaultValueFactory = _ => "../shared/traces" };
        var docs = new Option<string>("--docs") { Description = "Folder of results.md, data/ and plots/", DefaultValueFactory = _ => "docs" };
        var only = new Option<string?>("--only") { Description = "Comma-separated section keys (default: all)" };
        var skipHttp = new Option<bool>("--skip-http") { Description = "Leave out the section that runs real HTTP servers (replay)" };
        var seed = new Option<int>("--seed") { Description = "Seed of arrivals, noise and randomized policies", DefaultValueFactory = _ => 1 };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per evaluation cell (seed, seed+1, …)", DefaultValueFactory = _ => 5 };
        var command = new Command("report", "Regenerate docs/results.md's measured tables and plots in one run") { traces, docs, only, skipHttp, seed, seeds };
        command.SetAction((parse, cancellation) => new Run(parse.GetValue(traces)!, parse.GetValue(docs)!, parse.GetValue(seed), Math.Max(1, parse.GetValue(seeds)))
            .ExecuteAsync(parse.GetValue(only), parse.GetValue(skipHttp)));
        return command;
    }

    private sealed class Run(string tracesDirectory, string docsDirectory, int seed, int seeds)
    {
        private readonly Dictionary<string, PreparedTrace> _prepared = [];
        private readonly Dictionary<string, EvaluationReport.Sweep> _sweeps = [];
        private IReadOnlyList<OverloadExperiment.Row>? _overload;
        private string _document = string.Empty;

        private string ResultsPath => Path.Combine(docsDirectory, "results.md");

        public async Task<int> ExecuteAsync(string? only, bool skipHttp)
        {
            var sections = new Dictionary<string, Func<Task<string>>>
            {
                ["t1"] = () => Task.FromResult(Convergence()),
                ["t7"] = () => Task.FromResult(Scalability()),
                ["scrape"] = () => Task.FromResult(Scrape()),
                ["sensitivity"] = () => Task.FromResult(Sensitivity()),
                ["t4"] = () => Task.FromResult(Overload()),
                ["t5"] = () => Task.FromResult(Spike()),
                ["goals"] = () => Task.FromResult(Goals()),
            };
            foreach (var trace in Traces)
            {
                sections[trace.Key] = () => Task.FromResult(Evaluation(trace));
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

        private EvaluationReport.Sweep Sweep(string key)
        {
            if (!_sweeps.TryGetValue(key, out var sweep))
            {
                var trace = Prepared(key);
                _sweeps[key] = sweep = new EvaluationReport.Sweep(trace, EvaluationSweep.Run(trace, key == Traces[0].Key ? seeds : 1, seed));
                Save(key, new { capacity = trace.Capacity, load1_rps = trace.Load1Rps, requests = trace.Requests.Count, results = sweep.Results });
            }

            return sweep;
        }

        private string Evaluation(TraceCase traceCase)
        {
            var sweep = Sweep(traceCase.Key);
            var goodput = Plot($"{traceCase.Key}-goodput", EvaluationReport.Plot(sweep, "goodput (req/s)", r => r.GoodputRps));
            var slo = Plot($"{traceCase.Key}-slo", EvaluationReport.Plot(sweep, "SLO attainment", r => r.SloAttainment));
            return $"{EvaluationReport.Render(sweep)}\n![goodput vs load]({goodput}) ![SLO attainment vs load]({slo})\n";
        }

        /// <summary>The headline again with llm-d's default 50 ms scrape instead of DIO's 1 s.</summary>
        private string Scrape() => Repeat("scrape-50ms", scrapeSeconds: 0.05);

        /// <summary>The headline with the unvalidated profiles' step times ×0.67 and ×1.5.</summary>
        private string Sensitivity() => string.Join("\n", ((double[])[0.67, 1.5]).Select(factor =>
            $"### Step times of T4 and L4 ×{Markdown.Number(factor)}\n\n{Repeat($"sensitivity-{factor:0.##}", speedScale: SpeedScales.Unvalidated(factor))}"));

        /// <summary>A repeat of the headline under other conditions: the projects' routers at 50/100/150% of capacity,
        /// saved under <paramref name="dataKey"/>, rendered with its own goals.</summary>
        private string Repeat(string dataKey, double scrapeSeconds = 1, IReadOnlyDictionary<string, double>? speedScale = null)
        {
            var trace = Prepared(Traces[0].Key);
            var sweep = new EvaluationReport.Sweep(trace, EvaluationSweep.Run(trace, Math.Min(seeds, RepeatSeeds), seed, scrapeSeconds, speedScale,
                EvaluationSweep.ProjectPolicies, EvaluationSweep.RepeatShares));
            Save(dataKey, sweep.Results);
            return EvaluationReport.Render(sweep) + "\n" + EvaluationReport.RenderGoals(EvaluationReport.Goals([sweep]));
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
            var goals = EvaluationReport.Goals([.. Traces.Select(t => Sweep(t.Key))]);
            Save("goals", goals);
            return EvaluationReport.RenderGoals(goals);
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
