using Dio.Bench.Traces;

namespace Dio.Bench.Tests;

public sealed class TraceReaderTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("dio-traces").FullName;

    [TraceFact]
    public void Azure_ReadsEveryRow_RelativeArrivals()
    {
        var trace = TraceReader.Read(SharedTraces.Azure);

        Assert.Equal(8819, trace.Count);   // the README's row count
        Assert.Equal(0, trace[0].ArrivalSeconds);
        Assert.Equal((4808, 10), (trace[0].PromptTokens, trace[0].OutputTokens));
        Assert.InRange(trace[^1].ArrivalSeconds, 3435.8, 3436.0);   // span 3,435.9 s
        Assert.InRange(trace.Average(r => r.PromptTokens), 2047.7, 2047.9);
    }

    [TraceFact]
    public void Mooncake_ReadsMillisecondsAndHashIds()
    {
        var trace = TraceReader.Read(SharedTraces.MooncakeConversation);

        Assert.Equal(12031, trace.Count);
        Assert.Equal(14, trace[0].PrefixHashes!.Length);
        Assert.All(trace.Take(500), r => Assert.Equal((r.PromptTokens + 511) / 512, r.PrefixHashes!.Length));
        Assert.InRange(trace[^1].ArrivalSeconds, 3536, 3538);
    }

    [TraceFact]
    public void LengthTraces_GetSeededPoissonArrivalsAtTheRate()
    {
        var first = TraceReader.Read(SharedTraces.ShareGpt, poissonRate: 5, seed: 3);
        var again = TraceReader.Read(SharedTraces.ShareGpt, poissonRate: 5, seed: 3);
        var arxiv = TraceReader.Read(SharedTraces.Arxiv, poissonRate: 5, seed: 3);

        Assert.Equal(30731, first.Count);
        Assert.Equal(28257, arxiv.Count);
        Assert.Equal(first.Select(r => r.ArrivalSeconds), again.Select(r => r.ArrivalSeconds));
        var rate = (first.Count - 1) / first[^1].ArrivalSeconds;
        Assert.InRange(rate, 4.9, 5.1);
    }

    [Fact]
    public void Missing_File_SaysSo()
    {
        var error = Assert.Throws<TraceFormatException>(() => TraceReader.Read(Path.Combine(_scratch, "nope.csv")));

        Assert.Contains("file not found", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,4808,10\nyesterday,1,1\n", 3, "bad TIMESTAMP")]
    [InlineData("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,-5,10\n", 2, "ContextTokens must be positive")]
    [InlineData("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,12\n", 2, "expected 3 columns")]
    [InlineData("{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 5}\n{\"timestamp\": 3, \"input_length\": \"x\"}\n", 2, "bad JSON record")]
    [InlineData("{\"timestamp\": 0, \"output_length\": 5}\n", 1, "missing 'input_length'")]
    [InlineData("num_prefill_tokens,num_decode_tokens\n10,abc\n", 2, "num_decode_tokens 'abc' is not a whole number")]
    [InlineData("a,b,c\n1,2,3\n", 1, "unknown trace format")]
    [InlineData("", 1, "empty")]
    public void Malformed_NamesTheLineAndTheProblem(string content, int line, string problem)
    {
        var path = Path.Combine(_scratch, "bad.trace");
        File.WriteAllText(path, content);

        var error = Assert.Throws<TraceFormatException>(() => TraceReader.Read(path));

        Assert.Equal(line, error.Line);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
