using System.Reflection;
using Dio.FrontendApi.Hosting;
using Dio.Grains.Scheduling;
using Dio.Grains.Workers;
using Dio.Silo.Cluster;
using Dio.Sidecar.Hosting;
using Dio.Silo.Hosting;

namespace Dio.Deployment.Tests;

/// <summary>
/// The templates are compiled and linted by the real Bicep CLI (from NuGet), and checked as text against the services
/// they deploy: what can be wrong without Azure noticing before a deployment fails or misbehaves.
/// </summary>
public sealed class BicepTests
{
    private static readonly Type[] OptionsTypes =
        [typeof(SiloOptions), typeof(SidecarOptions), typeof(SchedulerOptions), typeof(DioClusterOptions), typeof(WorkerGrainOptions), typeof(GatewayOptions)];

    /// <summary>The hosts that answer the probes on port 8080, by the image they run in.</summary>
    private static readonly string[] HostSources = ["Silo/Program.cs", "FrontendApi/Hosting/GatewayHost.cs", "Sidecar/Hosting/SidecarHost.cs"];

    [Fact]
    public void EveryReferencedModule_Exists()
    {
        var modules = Repository.BicepFiles().SelectMany(f => Repository.Matches(File.ReadAllText(f), @"module \w+ '([^']+)'")
            .Select(m => Path.Combine(Path.GetDirectoryName(f)!, m.Groups[1].Value))).ToList();

        Assert.NotEmpty(modules);
        Assert.All(modules, path => Assert.True(File.Exists(path), $"missing module {path}"));
    }

    [Fact]
    public void EveryServiceSetting_IsOneTheServiceReads()
    {
        var settings = Repository.BicepFiles().SelectMany(f => Repository.Matches(File.ReadAllText(f), @"name: '([A-Za-z]+)__([A-Za-z]+)'")).ToList();

        Assert.NotEmpty(settings);
        foreach (var setting in settings)
        {
            var (section, key) = (setting.Groups[1].Value, setting.Groups[2].Value);
            var options = OptionsTypes.SingleOrDefault(t => (string?)t.GetField("SectionName")?.GetValue(null) == section);
            Assert.True(options is not null, $"{section}__{key}: no options class binds section '{section}'");
            Assert.True(options!.GetProperty(key, BindingFlags.Public | BindingFlags.Instance) is not null,
                $"{section}__{key}: {options.Name} has no property '{key}'");
        }
    }

    [Fact]
    public void Probes_HitPathsAndPortsTheServicesServe()
    {
        var probes = Repository.BicepFiles().SelectMany(f => Repository.Matches(File.ReadAllText(f), @"httpGet: \{ path: '([^']+)', port: (\d+) \}")).ToList();

        Assert.NotEmpty(probes);
        foreach (var probe in probes)
        {
            var (path, port) = (probe.Groups[1].Value, probe.Groups[2].Value);
            if (port == "8000")
            {
                Assert.Equal("/health", path);   // vLLM's own health endpoint
                continue;
            }

            Assert.Equal("8080", port);
            Assert.Contains(path, (string[])["/health/live", "/health/ready"]);
            Assert.All(HostSources, source => Assert.Contains($"\"{path}\"", Repository.Read(source), StringComparison.Ordinal));
        }

        // HTTP ingress reaches the hosts on 8080; a silo's TCP ingress reaches Orleans' silo and gateway ports.
        Assert.All(Repository.BicepFiles().SelectMany(f => Repository.Matches(File.ReadAllText(f), @"targetPort: (\d+)")),
            m => Assert.Contains(m.Groups[1].Value, (string[])["8080", "11111", "30000"]));
        Assert.Contains("{ name: 'Cluster__SiloPort', value: '11111' }", Repository.Read("azure/modules/silo.bicep"), StringComparison.Ordinal);
        Assert.Contains("{ name: 'Cluster__GatewayPort', value: '30000' }", Repository.Read("azure/modules/silo.bicep"), StringComparison.Ordinal);
    }

    [Fact]
    public void Probes_StayWithinContainerAppsLimits()
    {
        foreach (var file in Repository.BicepFiles())
        {
            var text = File.ReadAllText(file);
            Assert.All(Repository.Matches(text, @"initialDelaySeconds: (\d+)"), m => Assert.InRange(int.Parse(m.Groups[1].Value), 1, 60));
            Assert.All(Repository.Matches(text, @"periodSeconds: (\d+)"), m => Assert.InRange(int.Parse(m.Groups[1].Value), 1, 240));
            Assert.All(Repository.Matches(text, @"failureThreshold: (\d+)"), m => Assert.InRange(int.Parse(m.Groups[1].Value), 1, 10));
        }
    }

    [Fact]
    public void ImageNames_MatchTheDockerfiles()
    {
        var main = Repository.Read("azure/main.bicep");
        var guide = Repository.Read("docs/deploy-azure.md");

        foreach (var (project, image) in new[] { ("Silo", "dio-silo"), ("FrontendApi", "dio-frontendapi"), ("Sidecar", "dio-sidecar") })
        {
            Assert.Contains($"/{image}:", main, StringComparison.Ordinal);
            Assert.Contains($"-t {image} .", Repository.Read($"{project}/Dockerfile"), StringComparison.Ordinal);
            Assert.Matches($@"docker build -f {project}/Dockerfile +-t \$ACR\.azurecr\.io/{image}:\$TAG \.", guide);
        }
    }

    [Fact]
    public void Secrets_NeverInPlainText()
    {
        foreach (var file in Repository.BicepFiles())
        {
            var text = File.ReadAllText(file);
            var secureParams = Repository.Matches(text, @"@secure\(\)\s*(?:@description\('[^']*'\)\s*)?param (\w+)").Select(m => m.Groups[1].Value).ToHashSet();

            // A setting that holds a credential must come from a container-app secret. (Environment variables are
            // PascalCase or upper case; the app's own secrets list uses lower-case names and is checked below.)
            foreach (var env in Repository.Matches(text, @"\{ name: '([A-Z][A-Za-z_]*)', (value|secretRef): "))
            {
                if (System.Text.RegularExpressions.Regex.IsMatch(env.Groups[1].Value, "(?i)key|token|password|secret|redis$"))
                {
                    Assert.True(env.Groups[2].Value == "secretRef", $"{Path.GetFileName(file)}: {env.Groups[1].Value} is set in plain text");
                }
            }

            // A secret's value is a @secure() parameter or built from listKeys(), never a literal.
            foreach (var secret in Repository.Matches(text, @"\{ name: '[a-z][a-z0-9-]*', value: ([^}]+) \}"))
            {
                var value = secret.Groups[1].Value.Trim();
                Assert.True(secureParams.Contains(value) || value.Contains("listKeys()", StringComparison.Ordinal),
                    $"{Path.GetFileName(file)}: secret value {value} is neither a @secure() parameter nor a key read from Azure");
            }
        }

        var parameters = Repository.Read("azure/main.bicepparam");
        foreach (var secure in new[] { "adminKey", "sidecarToken", "huggingFaceToken" })
        {
            Assert.Matches($@"param {secure} = readEnvironmentVariable\('", parameters);
        }
    }

    [Fact]
    public void GpuWorker_VllmIsTheFirstContainer_SoItGetsTheGpu()
    {
        var text = Repository.Read("azure/modules/gpu-worker.bicep");
        var containers = text[text.IndexOf("containers: [", StringComparison.Ordinal)..];

        Assert.Equal("vllm", Repository.Matches(containers, @"name: '([^']+)'").First().Groups[1].Value);
        Assert.Contains("workloadProfileName: workloadProfileName", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_TlsOnly_AndTheSiloConnectsWithTls()
    {
        var redis = Repository.Read("azure/modules/redis.bicep");
        var silo = Repository.Read("azure/modules/silo.bicep");

        Assert.Contains("enableNonSslPort: false", redis, StringComparison.Ordinal);
        Assert.Contains("minimumTlsVersion: '1.2'", redis, StringComparison.Ordinal);
        foreach (var client in new[] { silo, Repository.Read("azure/modules/frontendapi.bicep") })
        {
            Assert.Contains(":6380,password=${redis.listKeys().primaryKey},ssl=true", client, StringComparison.Ordinal);
            Assert.Contains("{ name: 'Cluster__Clustering', value: 'redis' }", client, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Environment_HasConsumptionAndAGpuProfilePerPool()
    {
        var main = Repository.Read("azure/main.bicep");
        var environment = Repository.Read("azure/modules/environment.bicep");

        Assert.Contains("Consumption-GPU-NC24-A100", main, StringComparison.Ordinal);
        Assert.Contains("Consumption-GPU-NC8as-T4", main, StringComparison.Ordinal);
        Assert.Contains("{ name: 'Consumption', workloadProfileType: 'Consumption' }", environment, StringComparison.Ordinal);
        Assert.Contains("map(gpuPools, pool => { name: pool.name, workloadProfileType: pool.profileType })", environment, StringComparison.Ordinal);
    }
}
