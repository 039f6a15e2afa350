using System.Collections;
using System.Globalization;
using System.Reflection;
using Dio.FrontendApi.Hosting;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;
using Dio.Sidecar.Hosting;
using Dio.Silo.Cluster;
using Dio.Silo.Hosting;

namespace Dio.Deployment.Tests;

/// <summary>docs/configuration.md lists every option of every options class, under its real key and environment
/// variable, with the default an unconfigured process really has.</summary>
public sealed class ConfigurationReferenceTests
{
    private static readonly string Reference = Repository.Read("docs/configuration.md");

    public static TheoryData<string, Type> Sections => new()
    {
        { GatewayOptions.SectionName, typeof(GatewayOptions) },
        { SchedulerOptions.SectionName, typeof(SchedulerOptions) },
        { WorkerGrainOptions.SectionName, typeof(WorkerGrainOptions) },
        { DioClusterOptions.SectionName, typeof(DioClusterOptions) },
        { SiloOptions.SectionName, typeof(SiloOptions) },
        { SidecarOptions.SectionName, typeof(SidecarOptions) },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void EveryOption_IsListedWithItsEnvironmentFormAndDefault(string section, Type options)
    {
        var defaults = Activator.CreateInstance(options)!;
        var missing = new List<string>();
        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(IsBound))
        {
            var key = $"`{section}:{property.Name}`";
            var row = Reference.Split('\n').FirstOrDefault(l => l.StartsWith($"| {key} |", StringComparison.Ordinal));
            if (row is null)
            {
                missing.Add($"{key}: no row");
                continue;
            }

            var cells = row.Split(" | ");
            if (!cells[1].Contains($"`{section}__{property.Name}", StringComparison.Ordinal))
            {
                missing.Add($"{key}: environment form should be {section}__{property.Name}");
            }

            var shown = Render(property.GetValue(defaults));
            if (cells[3] != $"`{shown}`")
            {
                missing.Add($"{key}: default is {shown}, the page says {cells[3]}");
            }
        }

        Assert.True(missing.Count == 0, string.Join('\n', missing));
    }

    [Fact]
    public void EveryRow_NamesAnOptionThatExists()
    {
        var known = Sections.Select(row => ((string)row[0], (Type)row[1]))
            .SelectMany(s => s.Item2.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(IsBound).Select(p => $"{s.Item1}:{p.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var rows = Repository.Matches(Reference, @"(?m)^\| `(\w+:\w+)` \|").Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, key => Assert.Contains(key, known));
    }

    /// <summary>Options the configuration binder fills: settable, or a collection it adds to.</summary>
    private static bool IsBound(PropertyInfo property) =>
        property.GetIndexParameters().Length == 0
        && (property.SetMethod?.IsPublic == true || (property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType)));

    /// <summary>A default as configuration would spell it.</summary>
    private static string Render(object? value) => value switch
    {
        null => "(none)",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        string text => text,
        IEnumerable items when !items.Cast<object>().Any() => "(none)",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(none)",
    };
}
