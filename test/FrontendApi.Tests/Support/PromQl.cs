using System.Text.RegularExpressions;

namespace Dio.FrontendApi.Tests.Support;

/// <summary>
/// The metric names a PromQL expression selects, read lexically: what is left once strings, label matchers, ranges,
/// grouping clauses and Grafana variables are removed is function names (followed by a parenthesis), keywords and
/// metric names. Enough for the expressions a dashboard holds; it does not evaluate anything.
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "atan2", "inf", "nan",
    };

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = Strings().Replace(expression, " ");
        text = LabelMatchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        text = Variables().Replace(text, " ");
        return Identifiers().Matches(text).Select(m => m.Value).Where(name => !Keywords.Contains(name)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The metric names of a Grafana query variable: <c>label_values(selector, label)</c> selects its first
    /// argument's metric; the label is no metric.</summary>
    public static IReadOnlySet<string> VariableMetricNames(string query)
    {
        var match = LabelValues().Match(query);
        return MetricNames(match.Success ? match.Groups[1].Value : query);
    }

    [GeneratedRegex("""
        "(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'
        """)]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variables();

    // A whole identifier (atomic, so no prefix of a function name matches) not preceded by a number's digits or a dot.
    [GeneratedRegex(@"(?<![\w:.])(?>[a-zA-Z_:][a-zA-Z0-9_:]*)(?!\s*\()")]
    private static partial Regex Identifiers();

    [GeneratedRegex(@"^\s*label_values\((.*),\s*\w+\s*\)\s*$")]
    private static partial Regex LabelValues();
}
