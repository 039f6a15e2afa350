namespace Dio.Bench.Traces;

/// <summary>A trace file that cannot be read: names the file, the line and what was wrong.</summary>
public sealed class TraceFormatException(string path, int line, string problem)
    : Exception($"{path}:{line}: {problem}")
{
    public string Path { get; } = path;

    public int Line { get; } = line;
}
