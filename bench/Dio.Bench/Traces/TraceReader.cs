using System.Globalization;
using System.Text.Json;

namespace Dio.Bench.Traces;

/// <summary>
/// Reads every trace in ../shared/traces (see its README for the formats):
/// <list type="bullet">
/// <item>Azure LLM inference CSV — <c>TIMESTAMP,ContextTokens,GeneratedTokens</c>, absolute 100 ns timestamps;</item>
/// <item>Mooncake JSONL — <c>timestamp</c> (ms), <c>input_length</c>, <c>output_length</c>, <c>hash_ids</c> (512-token blocks);</item>
/// <item>length-only CSVs (ShareGPT, arXiv) — <c>num_prefill_tokens,num_decode_tokens,…</c>, given seeded Poisson arrivals.</item>
/// </list>
/// A missing file, an unknown header or a bad value throws a <see cref="TraceFormatException"/> naming the line.
/// </summary>
public static class TraceReader
{
    /// <summary>Reads a trace. <paramref name="poissonRate"/> (requests/s) and <paramref name="seed"/> are used only
    /// by the length-only formats.</summary>
    public static IReadOnlyList<TraceRequest> Read(string path, double poissonRate = 2.0, int seed = 1)
    {
        if (!File.Exists(path))
        {
            throw new TraceFormatException(path, 0, "file not found");
        }

        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new TraceFormatException(path, 1, "the file is empty");
        if (header.TrimStart().StartsWith('{'))
        {
            return ReadMooncake(path, header, reader);
        }

        var columns = header.Split(',');
        if (columns is ["TIMESTAMP", "ContextTokens", "GeneratedTokens", ..])
        {
            return ReadAzure(path, reader);
        }

        if (columns.Length >= 2 && columns[0] == "num_prefill_tokens" && columns[1] == "num_decode_tokens")
        {
            return ReadLengths(path, reader, poissonRate, seed);
        }

        throw new TraceFormatException(path, 1, $"unknown trace format (header '{Truncate(header)}'); expected the Azure CSV, Mooncake JSONL or a length CSV");
    }

    private static List<TraceRequest> ReadAzure(string path, StreamReader reader)
    {
        var requests = new List<TraceRequest>();
        DateTime? first = null;
        foreach (var (number, parts) in CsvRows(path, reader, minimumColumns: 3))
        {
            if (!DateTime.TryParseExact(parts[0], "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                throw new TraceFormatException(path, number, $"bad TIMESTAMP '{Truncate(parts[0])}'");
            }

            first ??= at;
            requests.Add(new TraceRequest((at - first.Value).TotalSeconds, PositiveInt(path, number, parts[1], "ContextTokens"),
                PositiveInt(path, number, parts[2], "GeneratedTokens")));
        }

        return requests;
    }

    private static List<TraceRequest> ReadMooncake(string path, string firstLine, StreamReader reader)
    {
        var requests = new List<TraceRequest>();
        var number = 0;
        for (var line = firstLine; line is not null; line = reader.ReadLine())
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var hashes = root.TryGetProperty("hash_ids", out var ids) ? ids.EnumerateArray().Select(h => h.GetUInt64()).ToArray() : null;
                requests.Add(new TraceRequest(Required(root, "timestamp").GetDouble() / 1000.0,
                    Positive(path, number, Required(root, "input_length").GetInt32(), "input_length"),
                    Positive(path, number, Required(root, "output_length").GetInt32(), "output_length"), hashes));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw new TraceFormatException(path, number, $"bad JSON record: {e.Message}");
            }
        }

        return requests;
    }

    private static List<TraceRequest> ReadLengths(string path, StreamReader reader, double rate, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        var random = new Random(seed);
        var requests = new List<TraceRequest>();
        var now = 0.0;
        foreach (var (number, parts) in CsvRows(path, reader, minimumColumns: 2))
        {
            requests.Add(new TraceRequest(now, PositiveInt(path, number, parts[0], "num_prefill_tokens"),
                PositiveInt(path, number, parts[1], "num_decode_tokens")));
            now += Workloads.SyntheticTrace.NextGap(random, rate);
        }

        return requests;
    }

    /// <summary>The data rows after the header line, with their 1-based line numbers; blank lines skipped.</summary>
    private static IEnumerable<(int Number, string[] Parts)> CsvRows(string path, StreamReader reader, int minimumColumns)
    {
        var number = 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(',');
            if (parts.Length < minimumColumns)
            {
                throw new TraceFormatException(path, number, $"expected {minimumColumns} columns, found {parts.Length}");
            }

            yield return (number, parts);
        }
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw new KeyNotFoundException($"missing '{name}'");

    private static int PositiveInt(string path, int line, string text, string column) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? Positive(path, line, value, column)
            : throw new TraceFormatException(path, line, $"{column} '{Truncate(text)}' is not a whole number");

    private static int Positive(string path, int line, int value, string column) =>
        value > 0 ? value : throw new TraceFormatException(path, line, $"{column} must be positive, found {value}");

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
