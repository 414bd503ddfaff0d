using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nuage.FunctionalTests.Infrastructure;

/// <summary>`nuage server` as a real child process (dotnet nuage.dll), for tests that SIGKILL it.</summary>
public static class ServerProcess
{
    /// <summary>Starts the server; its stdout and stderr lines go to <paramref name="output"/> when given.</summary>
    public static Process Start(TempDirectory dir, int api, int http, ConcurrentQueue<string>? output = null, params string[] extraArguments)
    {
        var start = new ProcessStartInfo("/usr/bin/dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "nuage.dll"), "server", "--data", dir.Combine("data"), "--api", $"127.0.0.1:{api}", "--http", $"127.0.0.1:{http}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Keep(output, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The pid of the <c>nuage router</c> process of a data directory (run/router/router.pid).</summary>
    public static int RouterPid(string dataDirectory) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dataDirectory, "run", "router", "router.pid"))).RootElement.GetProperty("pid").GetInt32();

    /// <summary>The router process outlives servers by design (<c>--router process</c>); a test's must not outlive the test.</summary>
    public static async Task KillRouterAsync(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "run", "router", "router.pid")))
        {
            return;
        }

        try
        {
            using var router = Process.GetProcessById(RouterPid(dataDirectory));
            router.Kill();
            await router.WaitForExitAsync();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    private static void Keep(ConcurrentQueue<string>? output, string? line)
    {
        if (output is not null && line is not null)
        {
            output.Enqueue(line);
        }
    }

    public static async Task WaitHealthyAsync(int api)
    {
        using var http = new HttpClient();
        // Bounded, generous: start-up probes the host's runtimes (pyenv shims take seconds each) and CI machines are loaded.
        for (var i = 0; i < 900; i++)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{api}/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("nuage server did not answer /healthz within 90 s");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
