using System.Text.Json;

namespace Dio.Bench.Tests;

/// <summary>The command line as a user runs it: exit codes, one-line errors, the JSON file.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("dio-cli").FullName;

    [TraceFact]
    public void Simulate_WritesJsonWithTheDocumentedFields()
    {
        var trace = Path.Combine(_scratch, "small.csv");
        File.WriteAllLines(trace, File.ReadLines(SharedTraces.Azure).Take(301));
        var json = Path.Combine(_scratch, "out.json");

        var (code, _) = Run("simulate", "--trace", trace, "--cluster", "hetero-8", "--policies", "dio,round-robin", "--load", "1,2", "--json", json, "--quiet", "--seeds", "2");

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var rows = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(8, rows.Count);
        foreach (var field in new[] { "policy", "load", "seed", "completed", "shed", "rejected", "lost", "preemptions", "ttft_p50_ms", "ttft_p90_ms",
            "ttft_p99_ms", "e2e_p50_ms", "e2e_p99_ms", "slo_attainment", "goodput_rps", "ttft_p99_offered_ms", "ttft_p99_equal_admitted_ms",
            "admitted_fraction", "scrape_seconds" })
        {
            Assert.All(rows, row => Assert.True(row.TryGetProperty(field, out _), field));
        }

        Assert.Equal(["dio", "dio", "dio", "dio", "round-robin", "round-robin", "round-robin", "round-robin"], rows.Select(r => r.GetProperty("policy").GetString()));
        Assert.Equal([1, 2, 1, 2, 1, 2, 1, 2], rows.Select(r => r.GetProperty("seed").GetInt32()));
        Assert.All(rows, r => Assert.InRange(r.GetProperty("slo_attainment").GetDouble(), 0, 1));
    }

    [TraceTheory]
    [InlineData("--trace", "/nonexistent/trace.csv", "file not found")]
    [InlineData("--cluster", "hetero-9", "unknown cluster")]
    [InlineData("--policies", "dio,magic", "unknown policy 'magic'")]
    [InlineData("--load", "fast", "--load must be positive")]
    public void Simulate_BadInput_OneLineErrorAndExitCode2(string option, string value, string message)
    {
        List<string> args = ["simulate", "--trace", SharedTraces.Azure, "--quiet"];
        var index = args.IndexOf(option);
        if (index >= 0)
        {
            args[index + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (code, error) = Run([.. args]);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Simulate_MissingTrace_IsAUsageError()
    {
        var (code, error) = Run("simulate", "--cluster", "hetero-8");

        Assert.Equal(2, code);
        Assert.Contains("--trace", error, StringComparison.Ordinal);
    }

    private static (int Code, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        var previousError = Console.Error;
        var previousOut = Console.Out;
        Console.SetError(error);
        Console.SetOut(TextWriter.Null);
        try
        {
            return (Program.Main(args), error.ToString());
        }
        finally
        {
            Console.SetError(previousError);
            Console.SetOut(previousOut);
        }
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
