using System.Collections.Concurrent;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Logs;

/// <summary>The server's own log (stdout/stderr of `nuage server`) stays quiet while the router proxies traffic.</summary>
public sealed class ServerLogTests
{
    private const int Requests = 40;

    [Fact]
    public async Task ProxiedRequests_DoNotAddPerRequestYarpLinesToTheServerLog()
    {
        using var dir = new TempDirectory();
        var api = ServerProcess.FreePort();
        var http = ServerProcess.FreePort();
        var output = new ConcurrentQueue<string>();
        var server = ServerProcess.Start(dir, api, http, output);
        try
        {
            await ServerProcess.WaitHealthyAsync(api);
            var token = (await File.ReadAllTextAsync(dir.Combine("data", "admin-token"))).Trim();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}/") };
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            (await client.PostAsync("v1/apps", new StringContent("{\"name\":\"quiet\",\"runtime\":\"static\"}", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            var id = await Deployer.StartAsync(client, "quiet", Deployer.Example("static"));
            var deployment = await Deployer.WaitAsync(client, "quiet", id);
            Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));

            var before = output.Count;
            using var proxy = new HttpClient();
            for (var i = 0; i < Requests; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{http}/");
                request.Headers.Host = "quiet.localhost";
                using var response = await proxy.SendAsync(request);
                Assert.Equal(200, (int)response.StatusCode);
            }

            // The access log has every request, so the router did proxy them; the server's log has no line per request.
            await WaitForAccessRecordsAsync(client);
            var yarpLines = output.Where(l => l.Contains("Yarp.", StringComparison.Ordinal)).ToList();
            Assert.True(yarpLines.Count == 0, $"{yarpLines.Count} YARP lines in the server log, e.g. {yarpLines.FirstOrDefault()}");
            var grown = output.Count - before;
            Assert.True(grown < Requests, $"the server log grew by {grown} lines over {Requests} requests:\n{string.Join('\n', output.Skip(before).Take(20))}");
            (await client.DeleteAsync("v1/apps/quiet")).EnsureSuccessStatusCode();
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

    private static async Task WaitForAccessRecordsAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var records = JsonDocument.Parse(await client.GetStringAsync("v1/apps/quiet/logs?source=access&since=1h&limit=1000")).RootElement;
            if (records.GetArrayLength() >= Requests)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the access log never showed {Requests} requests");
    }
}
