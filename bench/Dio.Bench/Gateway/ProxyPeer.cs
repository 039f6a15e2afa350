using System.Diagnostics;
using System.Net.Sockets;

namespace Dio.Bench.Gateway;

/// <summary>
/// A conventional proxy over the same upstreams as DIO, as most fleets are fronted today: nginx round robin or
/// haproxy leastconn, keep-alive, no buffering. Runs as a child process with a config in a temporary folder;
/// <see langword="null"/> when the proxy is not installed (apt-get install nginx haproxy).
/// </summary>
internal sealed class ProxyPeer : IDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private ProxyPeer(Process process, string prefix, Uri url)
    {
        _process = process;
        _prefix = prefix;
        Url = url;
    }

    public Uri Url { get; }

    public static Task<ProxyPeer?> StartNginxAsync(IReadOnlyList<Uri> upstreams, int port) =>
        StartAsync(["/usr/sbin/nginx", "/usr/bin/nginx"], port, prefix => ($$"""
            worker_processes 1;
            daemon off;
            error_log {{prefix}}/error.log warn;
            pid {{prefix}}/nginx.pid;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path {{prefix}}/body;
              proxy_temp_path {{prefix}}/proxy;
              upstream fleet {
            {{string.Concat(upstreams.Select(u => $"    server {u.Host}:{u.Port};\n"))}}    keepalive 64;
              }
              server {
                listen 127.0.0.1:{{port}};
                client_max_body_size 16m;
                client_body_buffer_size 1m;
                location / {
                  proxy_pass http://fleet;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_buffering off;
                  proxy_read_timeout 3600s;
                }
              }
            }
            """, "nginx.conf", ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf")]));

    public static Task<ProxyPeer?> StartHaproxyAsync(IReadOnlyList<Uri> upstreams, int port) =>
        StartAsync(["/usr/sbin/haproxy", "/usr/bin/haproxy"], port, prefix => ($$"""
            global
              maxconn 4096
            defaults
              mode http
              timeout connect 5s
              timeout client 3600s
              timeout server 3600s
              option http-keep-alive
            frontend gateway
              bind 127.0.0.1:{{port}}
              default_backend fleet
            backend fleet
              balance leastconn
              http-reuse always
            {{string.Concat(upstreams.Select((u, i) => $"  server w{i} {u.Host}:{u.Port}\n"))}}
            """, "haproxy.cfg", ["-f", Path.Combine(prefix, "haproxy.cfg")]));

    private static async Task<ProxyPeer?> StartAsync(string[] candidates, int port, Func<string, (string Config, string FileName, string[] Args)> configure)
    {
        var binary = candidates.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            return null;
        }

        var prefix = Directory.CreateTempSubdirectory("dio-peer").FullName;
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var (config, fileName, args) = configure(prefix);
        await File.WriteAllTextAsync(Path.Combine(prefix, fileName), config);
        var process = Process.Start(new ProcessStartInfo(binary, args)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);   // drained, so a chatty proxy never blocks on a full pipe
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        for (var i = 0; i < 200 && !process.HasExited; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return new ProxyPeer(process, prefix, new Uri($"http://127.0.0.1:{port}"));
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        throw new InvalidOperationException($"{Path.GetFileName(binary)} did not start: {errors}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);   // nginx's workers too: they hold the redirected pipes open
            _process.WaitForExit();
        }

        _process.Dispose();
        Directory.Delete(_prefix, recursive: true);
    }
}
