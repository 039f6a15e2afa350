using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dio.Silo.Storage.Redis;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dio.Silo.Tests;

/// <summary>The TLS path (Azure Cache for Redis listens on 6380 with TLS), against a real TLS redis-server.</summary>
public sealed class RespClientTlsTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dio-redis-tls").FullName;
    private X509Certificate2? _certificate;
    private Process? _redis;
    private int _port;

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        await File.WriteAllTextAsync(Path.Combine(_folder, "cert.pem"), _certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(_folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());

        _port = Dio.Emulator.Hosting.EmulatorHost.FreePorts(1)[0];
        _redis = Process.Start(new ProcessStartInfo("redis-server",
        [
            "--port", "0", "--tls-port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--tls-cert-file", Path.Combine(_folder, "cert.pem"), "--tls-key-file", Path.Combine(_folder, "key.pem"),
            "--tls-ca-cert-file", Path.Combine(_folder, "cert.pem"), "--tls-auth-clients", "no", "--requirepass", "tls-pass", "--save", "",
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
        await RedisServer.WaitForPortAsync(_port);
    }

    [Fact]
    public async Task Tls_WithTrustedCertificate_Works()
    {
        await using var client = new RespClient(RedisEndpoint.Parse($"localhost:{_port},password=tls-pass,ssl=true"), TimeProvider.System,
            NullLogger<RespClient>.Instance, (_, certificate, _, _) => certificate?.GetCertHashString() == _certificate!.GetCertHashString());

        await client.ExecuteAsync(["SET", "dio:tls", "over TLS"]);

        Assert.Equal("over TLS", (await client.ExecuteAsync(["GET", "dio:tls"])).Text);
    }

    [Fact]
    public async Task Tls_UntrustedCertificate_IsRefusedAtOnce()
    {
        await using var client = new RespClient(RedisEndpoint.Parse($"localhost:{_port},password=tls-pass,ssl=true"), TimeProvider.System,
            NullLogger<RespClient>.Instance);

        await Assert.ThrowsAsync<RedisException>(() => client.ExecuteAsync(["PING"]));
    }

    public Task DisposeAsync()
    {
        if (_redis is { HasExited: false })
        {
            _redis.Kill();
            _redis.WaitForExit();
        }

        _redis?.Dispose();
        _certificate?.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
