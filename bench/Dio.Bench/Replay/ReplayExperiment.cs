using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Dio.Bench.Gateway;
using Dio.Bench.Metrics;
using Dio.Bench.Reports;
using Dio.Bench.Traces;
using Dio.Emulator.Hosting;
using Dio.Emulator.Serving;
using Dio.FrontendApi.Hosting;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Dio.Bench.Replay;

/// <summary>
/// The Azure code trace through the real stack over HTTP: an emulated fleet running <c>TimeScale</c>× faster than
/// real time, fronted in turn by the DIO gateway (embedded silo, polling each vLLM's /metrics), nginx round robin and
/// haproxy leastconn, each against a fresh fleet so every target starts cold. DIO's times (SLO, poll period, the
/// scheduler's ms constants) are divided by the time scale so it sees the fleet as it would at real speed.
/// </summary>
internal static class ReplayExperiment
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,   // a p99 over what was offered can be ∞
    };

    public sealed record Settings(string Fleet = "hetero-8", double TimeScale = 8, int Requests = 1500, double Load = 1, int Seed = 1, double SloMs = 2000);

    public static Command Create()
    {
        var trace = new Option<string>("--trace") { Description = "Time-stamped trace", DefaultValueFactory = _ => "../shared/traces/AzureLLMInferenceTrace_code.csv" };
        var fleet = new Option<string>("--fleet") { Description = "Emulated fleet", DefaultValueFactory = _ => "hetero-8" };
        var timeScale = new Option<double>("--time-scale") { Description = "Emulated GPUs run this many times faster than real", DefaultValueFactory = _ => 8 };
        var requests = new Option<int>("--requests") { Description = "Replay the trace's first N requests", DefaultValueFactory = _ => 1500 };
        var load = new Option<double>("--load") { Description = "Replay the trace this many times faster", DefaultValueFactory = _ => 1 };
        var json = new Option<string?>("--json") { Description = "Write the results as JSON" };
        var command = new Command("replay", "Trace replay over HTTP: DIO gateway vs nginx round robin vs haproxy leastconn, one run") { trace, fleet, timeScale, requests, load, json };
        command.SetAction(async (parse, cancellation) =>
        {
            var results = await RunAsync(TraceReader.Read(parse.GetValue(trace)!),
                new Settings(parse.GetValue(fleet)!, parse.GetValue(timeScale), parse.GetValue(requests), parse.GetValue(load)));
            Console.WriteLine(Render(results));
            if (parse.GetValue(json) is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, Indented), cancellation);
            }

            return 0;
        });
        return command;
    }

    public static async Task<string> ReportAsync(string tracesDirectory, string docsDirectory, int seed)
    {
        var settings = new Settings(Seed: seed);
        var results = await RunAsync(TraceReader.Read(Path.Combine(tracesDirectory, "AzureLLMInferenceTrace_code.csv")), settings);
        await File.WriteAllTextAsync(Path.Combine(docsDirectory, "data", "replay-azure-code.json"), JsonSerializer.Serialize(new { settings, results }, Indented));
        return $"First {settings.Requests:N0} requests of the Azure code trace at load {Markdown.Number(settings.Load)}, emulated `{settings.Fleet}` at {Markdown.Number(settings.TimeScale)}× real speed; latencies in fleet time.\n\n{Render(results)}";
    }

    public static async Task<IReadOnlyList<TraceReplayer.Result>> RunAsync(IReadOnlyList<TraceRequest> trace, Settings settings)
    {
        var slice = trace.Take(settings.Requests).ToList();
        var results = new List<TraceReplayer.Result>();
        foreach (var target in new[] { "DIO gateway", "nginx round robin", "haproxy leastconn" })
        {
            var options = new EmulatorOptions { Fleet = settings.Fleet, Port = 0, TimeScale = settings.TimeScale, Seed = settings.Seed };
            await using var emulator = EmulatorHost.Build(options);
            await emulator.StartAsync();
            var upstreams = EmulatorHost.Urls(emulator, options);
            var port = EmulatorHost.FreePorts(1)[0];
            await using var front = await StartTargetAsync(target, upstreams, port, settings);
            if (front is null)
            {
                Console.Error.WriteLine($"{target}: not installed (apt-get install nginx haproxy); left out");
                continue;
            }

            var result = await TraceReplayer.RunAsync(target, front.Url, options.Model, slice, settings.Load, settings.TimeScale, settings.SloMs, settings.Seed);
            var fleet = emulator.Services.GetRequiredService<EmulatedFleet>();
            results.Add(result with { Preemptions = fleet.Servers.Sum(s => s.Read(e => e.Counters.Preemptions)) });
            Console.WriteLine($"  {target}: {result.Completed}/{result.Sent} completed in {result.WallSeconds} s");
            await emulator.StopAsync();
        }

        // The equal-admitted p99 needs every target of the run: each is cut to the smallest admitted share among them.
        var common = results.Count == 0 ? 0 : ServiceLevel.CommonAdmittedFraction(results.Select(r => r.Level!));
        return [.. results.Select(r => r with { TtftP99EqualAdmittedMs = r.Level!.P99AtAdmittedFraction(common) })];
    }

    public static string Render(IReadOnlyList<TraceReplayer.Result> results) => Markdown.Table(
        ["target", ">goodput/s", ">SLO", ">p99 offered", ">p99 eq. admitted", ">sent", ">completed", ">shed (503 + Retry-After)", ">other 5xx", ">4xx",
         ">transport errors", ">preemptions", ">TTFT p50", ">TTFT p99 (done)", ">E2E p99"],
        results.Select(r => new[]
        {
            r.Target, Markdown.Number(r.GoodputRps), Markdown.Percent(r.SloAttainment), Markdown.Ms(r.TtftP99OfferedMs), Markdown.Ms(r.TtftP99EqualAdmittedMs),
            $"{r.Sent}", $"{r.Completed}", r.ShedWithoutRetryAfter == 0 ? $"{r.Shed}" : $"{r.Shed} ({r.ShedWithoutRetryAfter} without Retry-After)",
            $"{r.Other5xx}", $"{r.Client4xx}", $"{r.TransportErrors}", $"{r.Preemptions}", Markdown.Ms(r.TtftP50Ms), Markdown.Ms(r.TtftP99Ms),
            Markdown.Ms(r.E2eP99Ms),
        }));

    private static async Task<Front?> StartTargetAsync(string target, IReadOnlyList<Uri> upstreams, int port, Settings settings)
    {
        if (target.StartsWith("nginx", StringComparison.Ordinal))
        {
            return await ProxyPeer.StartNginxAsync(upstreams, port) is { } nginx ? new Front(nginx.Url, nginx, null) : null;
        }

        if (target.StartsWith("haproxy", StringComparison.Ordinal))
        {
            return await ProxyPeer.StartHaproxyAsync(upstreams, port) is { } haproxy ? new Front(haproxy.Url, haproxy, null) : null;
        }

        // Every time DIO works with is in wall-clock ms; the fleet's wall clock runs TimeScale× fast.
        var defaults = new SchedulerOptions();
        string Ms(double realMs) => (realMs / settings.TimeScale).ToString("0.###", CultureInfo.InvariantCulture);
        var gateway = await BenchGateway.StartAsync(upstreams, settings.Fleet, port,
            $"--Scheduler:InteractiveTtftSloMs={Ms(settings.SloMs)}", $"--Scheduler:BatchTtftSloMs={Ms(defaults.BatchTtftSloMs)}",
            $"--Scheduler:CacheBonusMs={Ms(defaults.CacheBonusMs)}", $"--Scheduler:TierMismatchMs={Ms(defaults.TierMismatchMs)}",
            $"--Scheduler:MemoryPenaltyMs={Ms(defaults.MemoryPenaltyMs)}",
            $"--Workers:PollInterval={(new WorkerGrainOptions().PollInterval / settings.TimeScale).ToString("c", CultureInfo.InvariantCulture)}");
        var url = GatewayHost.Address(gateway);
        return new Front(url, null, gateway);
    }

    private sealed record Front(Uri Url, ProxyPeer? Peer, WebApplication? Gateway) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Peer?.Dispose();
            if (Gateway is not null)
            {
                await Gateway.StopAsync();
                await Gateway.DisposeAsync();
            }
        }
    }
}
