using System.Xml.Linq;
using Dio.Bench.Experiments;
using Dio.Bench.Reports;
using Dio.Bench.Traces;
using Dio.Emulator.Engine.Hardware;

namespace Dio.Bench.Tests;

public sealed class ConvergenceTests
{
    [TraceFact]
    public void ColdWorker_LearnsItsGpu_ErrorFallsFromThePriorToUnderTwentyPercent()
    {
        var trace = TraceReader.Read(SharedTraces.Azure);

        var series = ConvergenceExperiment.Run(GpuProfiles.L4, trace, requests: 150);

        Assert.Equal(150, series.TtftErrors.Count);
        Assert.True(series.TtftErrors.Take(5).Average() > 0.3, "the generic prior is far from an L4 at first");
        Assert.True(series.TtftErrors.TakeLast(50).Average() < 0.2, $"late error {series.TtftErrors.TakeLast(50).Average():P0}");
        Assert.InRange(series.RequestsUntil(0.2), 10, 60);
    }

    [Fact]
    public void SvgChart_IsWellFormedWithAPolylinePerSeries()
    {
        var svg = new SvgLineChart("t", "x", "y", logY: true)
            .Add("a", [(1, 10), (2, 5), (3, 1)])
            .Add("b <&>", [(1, 100), (3, 0.5)])
            .Render();

        var document = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(2, document.Descendants(ns + "polyline").Count());
        Assert.Contains(document.Descendants(ns + "text"), t => t.Value == "b <&>");
        Assert.Throws<InvalidOperationException>(() => new SvgLineChart("t", "x", "y").Render());
    }
}
