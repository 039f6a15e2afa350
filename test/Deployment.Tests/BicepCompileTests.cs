using System.Diagnostics;
using System.Reflection;

namespace Dio.Deployment.Tests;

/// <summary>The templates are compiled, not only read: the real Bicep CLI (Azure.Bicep.CommandLine.linux-x64 from
/// NuGet) builds every template and the parameters file, and its linter may not warn about anything.</summary>
public sealed class BicepCompileTests
{
    private static readonly string Bicep = typeof(BicepCompileTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BicepPath").Value!;

    public static TheoryData<string> Templates => [.. Repository.BicepFiles().Select(f => Path.GetRelativePath(Repository.Root, f))];

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Template_Builds_WithoutAnyDiagnostic(string template)
    {
        var (exit, diagnostics, json) = await RunAsync("build", template, "--stdout");

        Assert.True(exit == 0 && diagnostics.Trim().Length == 0, $"bicep build {template}:\n{diagnostics}");
        Assert.Contains("\"resources\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Template_PassesTheLinter(string template)
    {
        var (exit, diagnostics, output) = await RunAsync("lint", template);

        Assert.True(exit == 0 && (diagnostics + output).Trim().Length == 0, $"bicep lint {template}:\n{diagnostics}{output}");
    }

    [Fact]
    public async Task ParametersFile_Builds_WithItsVariablesSet()
    {
        var (exit, diagnostics, json) = await RunAsync("build-params", "azure/main.bicepparam", "--stdout");

        Assert.True(exit == 0 && diagnostics.Trim().Length == 0, $"bicep build-params:\n{diagnostics}");
        Assert.Contains("adminKey", json, StringComparison.Ordinal);
        Assert.Contains("test-admin-key", json, StringComparison.Ordinal);
    }

    /// <summary>Runs the CLI; diagnostics are what it writes to stderr, output what it writes to stdout.</summary>
    private static async Task<(int Exit, string Diagnostics, string Output)> RunAsync(params string[] arguments)
    {
        Assert.True(File.Exists(Bicep), $"the Bicep CLI is missing at {Bicep} (restore the Deployment tests)");
        var start = new ProcessStartInfo(Bicep, arguments)
        {
            WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["DIO_ADMIN_KEY"] = "test-admin-key";
        start.Environment["DIO_SIDECAR_TOKEN"] = "test-sidecar-token";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stderr, await stdout);
    }
}
