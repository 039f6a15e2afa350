using System.Globalization;
using System.Text;

namespace Dio.Bench.Reports;

/// <summary>Markdown tables and the number formats the report uses everywhere.</summary>
public static class Markdown
{
    /// <summary>A pipe table; columns whose header starts with '&gt;' are right-aligned (the marker is dropped).</summary>
    public static string Table(IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", headers.Select(h => h.TrimStart('>'))).Append(" |\n");
        text.Append('|').AppendJoin('|', headers.Select(h => h.StartsWith('>') ? "---:" : "---")).Append("|\n");
        foreach (var row in rows)
        {
            text.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>Milliseconds as the report prints them: "839 ms", "10.1 s", "—" when there is no value.</summary>
    public static string Ms(double ms) => double.IsNaN(ms) ? "—" : double.IsPositiveInfinity(ms) ? "∞"
        : ms >= 10_000 ? (ms / 1000).ToString("0.0 's'", CultureInfo.InvariantCulture)
        : ms.ToString("#,0 'ms'", CultureInfo.InvariantCulture);

    public static string Percent(double share) => double.IsNaN(share) ? "—" : (share * 100).ToString("0.0'%'", CultureInfo.InvariantCulture);

    public static string Ratio(double ratio) => double.IsNaN(ratio) || double.IsInfinity(ratio) ? "—" : ratio.ToString("0.0#'×'", CultureInfo.InvariantCulture);

    public static string Number(double value, string format = "0.###") => value.ToString(format, CultureInfo.InvariantCulture);
}
