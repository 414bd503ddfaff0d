using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nuage.Tests.Shared;

/// <summary>
/// A real nginx on a free loopback port capturing HTTP drain bodies: /drain keeps each request body in a file
/// (client_body_in_file_only) and logs its path with the Authorization and Content-Encoding headers. While the file
/// "down" exists in its directory, /drain answers 503. Shared by the logs and functional tests.
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
        var port = FreePort();
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

        var peer = new NginxPeer(dir, port, Process.Start(info)!);
        for (var i = 0; !CanConnect(port); i++)
        {
            if (i == 300)
            {
                await peer.DisposeAsync();
                throw new TimeoutException($"nginx did not listen on {port}; see {dir}/error.log");
            }

            await Task.Delay(50);
        }

        return peer;
    }

    /// <summary>One entry per request to /drain: body file, Authorization, Content-Encoding, Content-Type, status.</summary>
    public IReadOnlyList<string[]> Requests() =>
        File.Exists(AccessLog) ? File.ReadAllLines(AccessLog).Select(l => l.Split('|')).ToList() : [];

    /// <summary>The bodies received so far, gunzipped when compressed.</summary>
    public IReadOnlyList<string> Bodies() => [.. Requests().Where(r => File.Exists(r[0])).Select(r => Decode(File.ReadAllBytes(r[0])))];

    private static string Decode(byte[] body)
    {
        if (body.Length < 2 || body[0] != 0x1f || body[1] != 0x8b)
        {
            return Encoding.UTF8.GetString(body);
        }

        using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

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
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
