using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>A real `nuage server` child process SIGKILLed while an app logs: no output line is lost or stored twice.</summary>
public sealed class ServerKillLogsTests
{
    [Fact]
    public async Task ServerKilledWithSigkill_WhileAppLogs_EveryLineIsStoredOnceInOrder()
    {
        using var dir = new TempDirectory();
        var api = ServerProcess.FreePort();
        var http = ServerProcess.FreePort();
        var server = ServerProcess.Start(dir, api, http);
        try
        {
            await ServerProcess.WaitHealthyAsync(api);
            var token = (await File.ReadAllTextAsync(dir.Combine("data", "admin-token"))).Trim();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}/") };
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            (await client.PostAsync("v1/apps", new StringContent("{\"name\":\"ticker\",\"runtime\":\"node\"}", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            var app = Path.Combine(dir.Path, "ticker");
            Directory.CreateDirectory(app);
            await File.WriteAllTextAsync(Path.Combine(app, "package.json"), "{\"name\":\"ticker\",\"version\":\"1.0.0\",\"main\":\"index.js\"}");
            await File.WriteAllTextAsync(Path.Combine(app, "index.js"), """
                let n = 0;
                setInterval(() => console.log(`tick ${++n}`), 5);
                require("node:http").createServer((req, res) => res.end("ok")).listen(Number(process.env.PORT), "127.0.0.1");
                """);
            var id = await Deployer.StartAsync(client, "ticker", app);
            Assert.Equal("succeeded", (await Deployer.WaitAsync(client, "ticker", id)).GetProperty("state").GetString());
            await Task.Delay(500);

            // The server dies mid-stream; the app keeps writing to its output file meanwhile.
            server.Kill();
            await server.WaitForExitAsync();
            server.Dispose();
            await Task.Delay(1000);
            server = ServerProcess.Start(dir, api, http);
            await ServerProcess.WaitHealthyAsync(api);
            await Task.Delay(1000);

            var ticks = await TicksAsync(client);
            Assert.True(ticks.Count > 200, $"only {ticks.Count} ticks stored");
            Assert.Equal(Enumerable.Range(1, ticks.Count), ticks);
            (await client.DeleteAsync("v1/apps/ticker")).EnsureSuccessStatusCode();
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
                await server.WaitForExitAsync();
            }

            server.Dispose();
        }
    }

    /// <summary>The tick numbers in stored (sequence) order, from the logs API.</summary>
    private static async Task<List<int>> TicksAsync(HttpClient client)
    {
        var lines = JsonDocument.Parse(await client.GetStringAsync("v1/apps/ticker/logs?source=app&search=tick&since=1h&limit=10000")).RootElement;
        return [.. lines.EnumerateArray()
            .OrderBy(l => l.GetProperty("seq").GetInt64())
            .Select(l => int.Parse(l.GetProperty("message").GetString()!["tick ".Length..], System.Globalization.CultureInfo.InvariantCulture))];
    }
}
