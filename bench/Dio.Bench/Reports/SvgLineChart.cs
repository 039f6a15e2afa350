using System.Globalization;
using System.Net;
using System.Text;

namespace Dio.Bench.Reports;

/// <summary>
/// A dependency-free SVG line chart (no plotting package restores here): axes with ticks, one polyline per series,
/// a legend, optional log-scaled axes. Enough for the report's plots, and diffable in review.
/// </summary>
public sealed class SvgLineChart(string title, string xLabel, string yLabel, bool logY = false, bool logX = false)
{
    private const int Width = 720;
    private const int Height = 420;
    private const int Left = 70;
    private const int Right = 170;
    private const int Top = 40;
    private const int Bottom = 50;
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points)> _series = [];

    public SvgLineChart Add(string name, IReadOnlyList<(double X, double Y)> points)
    {
        _series.Add((name, points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y) && (!logY || p.Y > 0) && (!logX || p.X > 0)).ToList()));
        return this;
    }

    public string Render()
    {
        var points = _series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0)
        {
            throw new InvalidOperationException("a chart needs at least one point");
        }

        var (xMin, xMax) = Range(points.Select(p => X(p.X)));
        var (yMin, yMax) = Range(points.Select(p => Y(p.Y)));
        double Px(double x) => Left + ((X(x) - xMin) / (xMax - xMin) * (Width - Left - Right));
        double Py(double y) => Height - Bottom - ((Y(y) - yMin) / (yMax - yMin) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        for (var i = 0; i <= 5; i++)
        {
            var x = logX ? Math.Pow(10, xMin + ((xMax - xMin) * i / 5)) : xMin + ((xMax - xMin) * i / 5);
            var y = yMin + ((yMax - yMin) * i / 5);
            var yValue = logY ? Math.Pow(10, y) : y;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Px(x))}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{Tick(x)}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(Py(yValue))}\" x2=\"{Width - Right}\" y2=\"{F(Py(yValue))}\" stroke=\"#eee\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(Py(yValue) + 4)}\" text-anchor=\"end\">{Tick(yValue)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">{Escape(xLabel)}{(logX ? " (log)" : string.Empty)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16,{(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}{(logY ? " (log)" : string.Empty)}</text>\n");
        for (var s = 0; s < _series.Count; s++)
        {
            var (name, series) = _series[s];
            var color = Palette[s % Palette.Length];
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', series.Select(p => $"{F(Px(p.X))},{F(Py(p.Y))}"))}\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Width - Right + 12}\" y1=\"{Top + 10 + (s * 18)}\" x2=\"{Width - Right + 32}\" y2=\"{Top + 10 + (s * 18)}\" stroke=\"{color}\" stroke-width=\"3\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 38}\" y=\"{Top + 14 + (s * 18)}\">{Escape(name)}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private double Y(double value) => logY ? Math.Log10(value) : value;

    private double X(double value) => logX ? Math.Log10(value) : value;

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        var (min, max) = (list.Min(), list.Max());
        return max > min ? (min, max) : (min - 1, max + 1);
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Tick(double value) => Math.Abs(value) >= 1000 ? value.ToString("0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10 ? value.ToString("0.#", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
