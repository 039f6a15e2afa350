using System.Diagnostics;

namespace Dio.Deployment.Tests;

/// <summary>deploy/prometheus/prometheus.yml is a configuration Prometheus accepts, scraping frontends and silos.</summary>
public sealed class PrometheusConfigTests
{
    private const string ConfigPath = "deploy/prometheus/prometheus.yml";

    [Fact]
    public async Task PromtoolCheckConfig_Passes()
    {
        var start = new ProcessStartInfo("promtool", ["check", "config", Path.Combine(Repository.Root, ConfigPath)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var promtool = StartOrExplain(start);
        var output = promtool.StandardOutput.ReadToEndAsync();
        var errors = promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();

        Assert.True(promtool.ExitCode == 0, $"promtool check config exited {promtool.ExitCode}: {await output}{await errors}");
    }

    [Fact]
    public void ScrapesEveryFrontendAndEverySilo_OnMetrics()
    {
        var config = Repository.Read(ConfigPath);

        // Each process exports only what it holds, so both kinds of process must be scraped.
        Assert.Matches(@"(?m)^  - job_name: dio-gateway$", config);
        Assert.Matches(@"(?m)^  - job_name: dio-silo$", config);
        Assert.Equal(2, Repository.Matches(config, @"(?m)^    metrics_path: /metrics$").Count());
    }

    private static Process StartOrExplain(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("promtool is not installed (apt-get install prometheus); .ci/run installs it.", e);
        }
    }
}
