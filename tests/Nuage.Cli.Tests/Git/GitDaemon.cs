using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nuage.Cli.Tests.Git;

/// <summary>A real <c>git daemon</c> on 127.0.0.1 serving every repository under a folder (git:// URLs), stopped on dispose.</summary>
internal sealed class GitDaemon : IDisposable
{
    private readonly Process _process;

    private GitDaemon(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string HostPort => $"127.0.0.1:{Port}";

    public string Url(string repository) => $"git://{HostPort}/{repository}";

    public static async Task<GitDaemon> StartAsync(string basePath)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "daemon", "--export-all", "--reuseaddr", "--base-path=" + basePath, "--listen=127.0.0.1", "--port=" + port, basePath })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        var daemon = new GitDaemon(process, port);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return daemon;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        daemon.Dispose();
        throw new InvalidOperationException("git daemon did not start listening.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
