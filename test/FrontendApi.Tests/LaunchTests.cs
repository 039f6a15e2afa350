using System.Diagnostics;
using Dio.FrontendApi.Hosting;

namespace Dio.FrontendApi.Tests;

/// <summary>A bad command-line value is one line for the user and exit code 2, never a stack trace or a hang.</summary>
public sealed class LaunchTests
{
    [Theory]
    [InlineData("--demo --time-scale abc", "--time-scale must be a number")]
    [InlineData("--demo --time-scale 0", "--time-scale must be a number")]
    [InlineData("--demo --time-scale -3", "--time-scale must be a number")]
    [InlineData("--demo --time-scale NaN", "--time-scale must be a number")]
    [InlineData("--demo --time-scale 1e9", "--time-scale must be a number")]
    [InlineData("--demo --fleet 3xB200", "unknown cluster or GPU '3xB200'")]
    [InlineData("--demo --fleet 0xL4", "GPU count")]
    [InlineData("--demo --fleet", "--fleet needs a value")]
    [InlineData("--fleet hetero-8", "add --demo")]
    [InlineData("--worker", "--worker needs a value")]
    [InlineData("--worker ftp://gpu:8000", "absolute http(s) URL")]
    [InlineData("--worker --demo", "--worker needs a value")]
    public void BadValue_IsALaunchErrorThatSaysWhat(string line, string message)
    {
        var error = Assert.Throws<LaunchException>(() => GatewayLaunch.Parse(line.Split(' ')));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GoodValues_AreTaken_AndTheRestGoesToAspNetCore()
    {
        var launch = GatewayLaunch.Parse(["--demo", "--fleet", "hetero-8", "--time-scale", "2.5", "--worker", "http://gpu:8000", "--urls", "http://0.0.0.0:9"]);

        Assert.True(launch.Demo);
        Assert.Equal("hetero-8", launch.Fleet);
        Assert.Equal(2.5, launch.TimeScale);
        Assert.Equal(new Uri("http://gpu:8000"), Assert.Single(launch.Workers));
        Assert.Equal(["--urls", "http://0.0.0.0:9"], launch.HostArgs);
    }

    [Theory]
    [InlineData("--time-scale", "abc", "--demo")]
    [InlineData("--demo", "--fleet", "nope")]
    public async Task TheProcess_PrintsOneLineAndTheUsage_AndExitsWith2(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Dio.FrontendApi.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("dio: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("usage: ", lines[1], StringComparison.Ordinal);
    }
}
