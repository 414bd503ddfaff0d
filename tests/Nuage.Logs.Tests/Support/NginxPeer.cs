using System.Diagnostics;
using System.Net.Sockets;

namespace Nuage.Logs.Tests.Support;

/// <summary>
/// A real nginx on a free loopback port capturing HTTP drain bodies: /drain keeps each request body in a file
/// (client_body_in_file_only) and logs its path with the Authorization and Content-Encoding headers. While the file
/// "down" exists in its directory, /drain answers 503.
/// </summary>
internal sealed class NginxPeer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly Process _process;

    private NginxPeer(string dir, int port, Process process)
    {
        _dir = dir;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    public string DownFlag => Path.Combine(_dir, "down");

    public string AccessLog => Path.Combine(_dir, "drain.log");

    public static async Task<NginxPeer> StartAsync(string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "bodies"));
        var port = Ports.Free();
        var conf = $$"""
            daemon off;
            user root;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log;
            events { worker_connections 64; }
            http {
              client_body_temp_path {{dir}}/bodies;
              proxy_temp_path {{dir}}/proxy;
              fastcgi_temp_path {{dir}}/fastcgi;
              uwsgi_temp_path {{dir}}/uwsgi;
              scgi_temp_path {{dir}}/scgi;
              log_format drain '$request_body_file|$http_authorization|$http_content_encoding|$content_type|$status';
              server {
                listen 127.0.0.1:{{port}};
                location /drain {
                  if (-f {{dir}}/down) { return 503; }
                  client_body_in_file_only on;
                  client_max_body_size 50m;
                  access_log {{dir}}/drain.log drain;
                  proxy_pass http://127.0.0.1:{{port}}/ok;
                }
                location /ok { access_log off; return 200; }
              }
            }
            """;
        var confPath = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(confPath, conf);
        var info = new ProcessStartInfo("/usr/sbin/nginx") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", dir, "-c", confPath })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        var peer = new NginxPeer(dir, port, process);
        await Wait.UntilAsync(() => Task.FromResult(CanConnect(port)), "nginx listening");
        return peer;
    }

    public IReadOnlyList<string[]> Requests() =>
        File.Exists(AccessLog) ? File.ReadAllLines(AccessLog).Select(l => l.Split('|')).ToList() : [];

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signals.Term(_process.Id);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
