namespace Dio.Bench.Reports;

/// <summary>
/// docs/results.md keeps its prose by hand; every table and figure reference the report generates sits between
/// <c>&lt;!-- report:KEY --&gt;</c> and <c>&lt;!-- /report:KEY --&gt;</c> and is replaced in place on each run.
/// </summary>
public static class ReportDocument
{
    public static string Replace(string document, string key, string content)
    {
        var open = $"<!-- report:{key} -->";
        var close = $"<!-- /report:{key} -->";
        var start = document.IndexOf(open, StringComparison.Ordinal);
        var end = document.IndexOf(close, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new FormatException($"the report has no '{open}' … '{close}' block to fill");
        }

        return document[..(start + open.Length)] + "\n" + content.TrimEnd('\n') + "\n" + document[end..];
    }
}
