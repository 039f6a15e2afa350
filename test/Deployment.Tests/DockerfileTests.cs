using System.Text.RegularExpressions;

namespace Dio.Deployment.Tests;

/// <summary>No Docker engine runs here, so the Dockerfiles are checked as text against the projects they build.</summary>
public sealed class DockerfileTests
{
    public static TheoryData<string> Services => ["Silo", "FrontendApi", "Sidecar"];

    [Theory]
    [MemberData(nameof(Services))]
    public void MultiStage_Net10SdkToAspNetRuntime_NonRoot(string service)
    {
        var dockerfile = Repository.Read($"{service}/Dockerfile");

        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", dockerfile);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0 AS runtime$", dockerfile);
        Assert.Matches(@"(?m)^USER \$APP_UID$", dockerfile);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void PublishesItsProject_AndRunsItsAssembly(string service)
    {
        var dockerfile = Repository.Read($"{service}/Dockerfile");
        var project = Regex.Match(dockerfile, @"dotnet publish (\S+\.csproj)").Groups[1].Value;
        var assembly = Regex.Match(Repository.Read(project), "<AssemblyName>([^<]+)</AssemblyName>").Groups[1].Value;

        Assert.Equal($"{service}/{service}.csproj", project);
        Assert.Matches($@"ENTRYPOINT \[""dotnet"", ""{Regex.Escape(assembly)}\.dll""\]", dockerfile);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void CopiesOnlyWhatExists_AndEveryProjectItBuildsOn(string service)
    {
        var dockerfile = Repository.Read($"{service}/Dockerfile");
        var copied = Regex.Matches(dockerfile, @"(?m)^COPY (?!--from)(.+) \S+$").SelectMany(m => m.Groups[1].Value.Split(' ')).ToList();

        Assert.All(copied, path => Assert.True(Repository.Exists(path.TrimEnd('/')), $"{service}/Dockerfile copies missing {path}"));
        foreach (var reference in ProjectClosure($"{service}/{service}.csproj"))
        {
            var folder = Path.GetDirectoryName(reference)!.Replace('\\', '/') + "/";
            Assert.True(copied.Any(c => folder.StartsWith(c, StringComparison.Ordinal)), $"{service}/Dockerfile does not copy {folder}, which the build needs");
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void ExposesThePortTheServiceListensOn(string service)
    {
        var dockerfile = Repository.Read($"{service}/Dockerfile");

        // The silo also listens for other silos (11111) and for cluster clients (30000), as azure/modules/silo.bicep maps them.
        Assert.Matches(service == "Silo" ? @"(?m)^EXPOSE 8080 11111 30000$" : @"(?m)^EXPOSE 8080$", dockerfile);
        Assert.Matches(@"(?m)^ENV ASPNETCORE_HTTP_PORTS=8080$", dockerfile);
    }

    [Fact]
    public void AppSettings_OfEmbeddedHosts_AreIdentical()
    {
        // FrontendApi publishes Silo's and Sidecar's appsettings.json over its own: they must stay the same file.
        var frontend = Repository.Read("FrontendApi/appsettings.json");

        Assert.Equal(frontend, Repository.Read("Silo/appsettings.json"));
        Assert.Equal(frontend, Repository.Read("Sidecar/appsettings.json"));
    }

    /// <summary>Every project (relative path) a project builds on, itself included.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!closure.Add(current))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(current)!;
            foreach (Match reference in Regex.Matches(Repository.Read(current), @"<ProjectReference Include=""([^""]+)"""))
            {
                var path = Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Repository.Root, folder, reference.Groups[1].Value.Replace('\\', '/'))));
                pending.Push(path.Replace('\\', '/'));
            }
        }

        return closure;
    }
}
