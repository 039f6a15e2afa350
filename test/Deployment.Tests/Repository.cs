using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Dio.Deployment.Tests;

/// <summary>Files of the repository, found from the test binaries.</summary>
internal static partial class Repository
{
    public static string Root { get; } = Find();

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public static bool Exists(string relative) => File.Exists(Path.Combine(Root, relative)) || Directory.Exists(Path.Combine(Root, relative));

    public static IEnumerable<string> BicepFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "azure"), "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    public static IEnumerable<Match> Matches(string text, [StringSyntax(StringSyntaxAttribute.Regex)] string pattern) => Regex.Matches(text, pattern);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dio.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Dio.Orleans.sln not found above the test binaries");
    }
}
