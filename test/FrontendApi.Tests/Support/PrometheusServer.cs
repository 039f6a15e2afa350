using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dio.Testing;

namespace Dio.FrontendApi.Tests.Support;

/// <summary>
/// A real Prometheus (apt's <c>prometheus</c>) on a free loopback port, its storage in a temporary folder, scraping
/// the given /metrics targets every second under the job <c>dio-gateway</c>. Queried through its HTTP API;
/// disposing kills it and deletes its folder.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Job = "dio-gateway";
    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly HttpClient _http;
    private readonly List<string> _log = [];

    private PrometheusServer(Process process, DirectoryInfo folder, Uri url)
    {
        _process = process;
        _folder = folder;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<PrometheusServer> StartAsync(IEnumerable<Uri> targets)
    {
        var folder = Directory.CreateTempSubdirectory("dio-prometheus-");
        var config = Path.Combine(folder.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, Config(targets));
        var port = RedisServer.FreePort();
        var start = new ProcessStartInfo("prometheus",
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder.FullName, "data")}",
             $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--log.level=warn"])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var server = new PrometheusServer(Promtool.Start(start), folder, new Uri($"http://127.0.0.1:{port}/"));
        server._process.OutputDataReceived += (_, e) => server.Record(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await GatewayFixture.WaitUntilAsync(server.IsReadyAsync, "prometheus ready", seconds: 60);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>The generated configuration: one job, a 1 s scrape interval so that a test waits seconds, not minutes.</summary>
    internal static string Config(IEnumerable<Uri> targets) => $"""
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: {Job}
            metrics_path: /metrics
            static_configs:
              - targets: [{string.Join(", ", targets.Select(t => $"\"{t.Authority}\""))}]
        """;

    /// <summary>An instant query; throws unless Prometheus answers "success" (a malformed expression is a 400).</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        using var response = await _http.GetAsync(new Uri($"api/v1/query?query={Uri.EscapeDataString(promql)}", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode || body.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused '{promql}': {body}");
        }

        return body.GetProperty("data").GetProperty("result");
    }

    /// <summary>An instant vector query's result by the value of one label.</summary>
    public async Task<Dictionary<string, double>> VectorByAsync(string promql, string label) =>
        (await QueryAsync(promql)).EnumerateArray().ToDictionary(
            series => series.GetProperty("metric").TryGetProperty(label, out var value) ? value.GetString()! : string.Empty,
            series => double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Add(line);
            }
        }
    }

    private async Task<bool> IsReadyAsync()
    {
        if (_process.HasExited)
        {
            lock (_log)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}: {string.Join('\n', _log)}");
            }
        }

        try
        {
            using var response = await _http.GetAsync(new Uri("-/ready", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
        _folder.Delete(recursive: true);
    }
}
