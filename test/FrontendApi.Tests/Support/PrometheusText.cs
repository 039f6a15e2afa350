using System.Globalization;
using System.Text.RegularExpressions;

namespace Dio.FrontendApi.Tests.Support;

/// <summary>A /metrics page in Prometheus' text format, parsed just enough for assertions: each sample's series name,
/// labels and value. Label values are unescaped (\\, \", \n), so a test compares what the exporter meant.</summary>
internal sealed partial class PrometheusText
{
    private PrometheusText(IReadOnlyList<Sample> samples) => Samples = samples;

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Every series name on the page (histograms as their _bucket, _sum and _count series).</summary>
    public IReadOnlySet<string> Names => Samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    public static PrometheusText Parse(string page)
    {
        var samples = new List<Sample>();
        foreach (var line in page.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"Not a sample line: {line}");
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["name"].Value,
                m => Unescape(m.Groups["value"].Value), StringComparer.Ordinal);
            samples.Add(new Sample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value)));
        }

        return new PrometheusText(samples);
    }

    public static async Task<PrometheusText> ScrapeAsync(HttpClient http, Uri baseUrl) =>
        Parse(await http.GetStringAsync(new Uri(baseUrl, "/metrics")));

    /// <summary>Samples of one series name whose labels include every given pair.</summary>
    public IEnumerable<Sample> Series(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value));

    /// <summary>The one sample of a series name and labels, or null.</summary>
    public double? Value(string name, params (string Label, string Value)[] labels) =>
        Series(name, labels).Select(s => (double?)s.Value).SingleOrDefault();

    private static string Unescape(string value) => Escape().Replace(value, m => m.Groups[1].Value == "n" ? "\n" : m.Groups[1].Value);

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(value, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>(?:[^"}]|"(?:[^"\\]|\\.)*")*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex Escape();

    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
