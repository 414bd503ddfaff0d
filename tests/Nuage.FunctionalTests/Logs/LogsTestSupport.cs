using System.Formats.Tar;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Nuage.Cli;
using Nuage.Cli.Hosting;
using Nuage.Core.Logging;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Logs.Storage;

namespace Nuage.FunctionalTests.Logs;

/// <summary>Helpers of the logs, drains and metrics tests: apps, deployments, writing through the server's log sink.</summary>
internal static class LogsTestSupport
{
    public static async Task<string> CreateAppAsync(RunningServer server, string name, string runtime = "node")
    {
        var created = await server.Cli().RunAsync("create", name, "-t", runtime, "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        return JsonDocument.Parse(created.Output).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Writes records through the server's own in-process log sink (the path build output and platform events take).</summary>
    public static async Task WriteAsync(RunningServer server, string appId, LogSource source, params string[] messages)
    {
        var store = (LogStore)server.Server.Services.GetService(typeof(LogStore))!;
        foreach (var message in messages)
        {
            store.Sink.Write(new LogRecord(default, appId, source, message, Stream: source == LogSource.App ? "stdout" : null));
        }

        await store.FlushAsync(appId);
    }

    /// <summary>Uploads an example directory as a tar and waits until the deployment succeeded.</summary>
    public static async Task DeployExampleAsync(RunningServer server, string app, string example)
    {
        var dir = Path.Combine(RepoRoot(), "examples", example);
        using var tar = new MemoryStream();
        await TarFile.CreateFromDirectoryAsync(dir, tar, includeBaseDirectory: false);
        tar.Position = 0;
        using var http = server.Http();
        using var response = await http.PostAsync($"v1/apps/{app}/deployments", new StreamContent(tar));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        var state = string.Empty;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            body = await http.GetStringAsync($"v1/apps/{app}/deployments/{id}");
            state = JsonDocument.Parse(body).RootElement.GetProperty("state").GetString()!;
            if (state is "succeeded" or "failed" or "cancelled")
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.True(state == "succeeded", body);
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"timed out after {seconds}s waiting for {what}");
    }

    /// <summary>Runs the CLI in-process until <paramref name="cancellation"/> fires, capturing its output live.</summary>
    public static (Task<int> Exit, SyncWriter Out) RunCliUntilCancelled(RunningServer server, CancellationToken cancellation, params string[] args)
    {
        var output = new SyncWriter();
        var env = new CliEnvironment
        {
            Out = output,
            Error = new StringWriter(),
            WorkingDirectory = server.Scratch,
            ConfigDirectory = Path.Combine(server.Scratch, "config"),
            Variables = new Dictionary<string, string> { ["NUAGE_URL"] = server.Url, ["NUAGE_TOKEN"] = server.AdminToken },
        };
        return (Task.Run(() => CliApp.RunAsync(env, args, cancellation)), output);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepoRoot() => Deployer.RepoRoot;
}

/// <summary>A text writer tests can read while another task writes to it.</summary>
internal sealed class SyncWriter : StringWriter
{
    private readonly Lock _lock = new();

    public override void Write(char value)
    {
        lock (_lock)
        {
            base.Write(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            base.Write(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            base.WriteLine(value);
        }
    }

    public string Text()
    {
        lock (_lock)
        {
            return ToString();
        }
    }
}
