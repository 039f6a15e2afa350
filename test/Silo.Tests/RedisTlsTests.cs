using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Dio.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Dio.Silo.Tests;

/// <summary>Grain storage over TLS with AUTH (Azure Cache for Redis listens on 6380 with TLS), against a real TLS
/// redis-server whose certificate is signed by nobody the system trusts: trusted through Cluster:RedisTrustedIssuer.</summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private const string Password = "tls pass";
    private readonly string _folder = Directory.CreateTempSubdirectory("dio-redis-tls").FullName;
    private Process? _redis;
    private int _port;

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        await File.WriteAllTextAsync(Path.Combine(_folder, "cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(_folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());

        _port = RedisServer.FreePort();
        _redis = Process.Start(new ProcessStartInfo("redis-server",
        [
            "--port", "0", "--tls-port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--tls-cert-file", Path.Combine(_folder, "cert.pem"), "--tls-key-file", Path.Combine(_folder, "key.pem"),
            "--tls-ca-cert-file", Path.Combine(_folder, "cert.pem"), "--tls-auth-clients", "no", "--requirepass", Password,
            "--save", "", "--appendonly", "no",
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
        await RedisServer.WaitForPortAsync(_port);
    }

    [Fact]
    public async Task RegistrationStoredOverTls_SurvivesASiloRestart()
    {
        await using (var first = Silo())
        {
            using var register = await first.Admin().PostAsJsonAsync("/control/workers", new
            {
                workerId = "tls-worker", endpoint = "http://127.0.0.1:9/tls", model = "m", gpuProfile = "L4",
                maxModelLen = 8192, numGpuBlocks = 2405, blockSize = 16, maxNumSeqs = 256, tier = "small",
            });
            Assert.True(register.IsSuccessStatusCode, await register.Content.ReadAsStringAsync());
        }

        await using var second = Silo();
        var workers = await second.Admin().GetFromJsonAsync<List<JsonElement>>("/control/workers");

        Assert.Equal("tls-worker", Assert.Single(workers!).GetProperty("registration").GetProperty("workerId").GetString());
    }

    [Fact]
    public async Task UntrustedCertificate_NothingIsStored()
    {
        await using var silo = new TlsSiloFactory($"localhost:{_port},password={Password},ssl=true,connectTimeout=2000", issuer: null);

        using var register = await silo.Admin().PostAsJsonAsync("/control/workers", new
        {
            workerId = "tls-untrusted", endpoint = "http://127.0.0.1:9/tls", model = "m", gpuProfile = "L4",
            maxModelLen = 8192, numGpuBlocks = 2405, blockSize = 16, maxNumSeqs = 256, tier = "small",
        });

        Assert.False(register.IsSuccessStatusCode);   // the TLS handshake is refused, so the registration cannot be stored
    }

    private TlsSiloFactory Silo() => new($"localhost:{_port},password={Password},ssl=true", Path.Combine(_folder, "cert.pem"));

    public Task DisposeAsync()
    {
        if (_redis is { HasExited: false })
        {
            _redis.Kill();
            _redis.WaitForExit();
        }

        _redis?.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private sealed class TlsSiloFactory(string redis, string? issuer) : SiloFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Cluster:Storage", "redis");
            builder.UseSetting("Cluster:Redis", redis);
            if (issuer is not null)
            {
                builder.UseSetting("Cluster:RedisTrustedIssuer", issuer);
            }

            builder.UseSetting("Workers:PollInterval", "00:01:00");
        }
    }
}
