using System.Diagnostics;

namespace Dio.FrontendApi.Tests.Support;

/// <summary>Prometheus' own checker (<c>promtool</c>, from apt's <c>prometheus</c> package; .ci/run installs it).</summary>
internal static class Promtool
{
    /// <summary><c>promtool check metrics</c> on an exposition page: exit code 0 when it parses and every lint rule
    /// holds (base units, _total on counters, HELP text, names); its output lists each problem otherwise.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string page)
    {
        var start = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Start(start);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(page);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    internal static Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{start.FileName} is not installed (apt-get install prometheus); .ci/run installs it.", e);
        }
    }
}
