using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>A real `nuage server` child process killed with SIGKILL: apps keep running and the next server adopts them.</summary>
public sealed class ServerRestartTests
{
    [Fact]
    public async Task ServerKilledWithSigkill_AppKeepsRunning_AndRestartedServerAdoptsAndServesIt()
    {
        using var dir = new TempDirectory();
        var api = ServerProcess.FreePort();
        var http = ServerProcess.FreePort();
        var first = ServerProcess.Start(dir, api, http);
        string? pidBefore = null;
        try
        {
            await ServerProcess.WaitHealthyAsync(api);
            var token = (await File.ReadAllTextAsync(dir.Combine("data", "admin-token"))).Trim();
            using var client = Client(api, token);
            (await client.PostAsync("v1/apps", Json("""{"name":"web","runtime":"node"}"""))).EnsureSuccessStatusCode();
            var id = await Deployer.StartAsync(client, "web", Deployer.Example("node"));
            Assert.Equal("succeeded", (await Deployer.WaitAsync(client, "web", id)).GetProperty("state").GetString());
            pidBefore = WebPid(await client.GetStringAsync("v1/apps/web/instances"));
            Assert.Equal(HttpStatusCode.OK, await GetAppAsync(http));

            first.Kill();
            await first.WaitForExitAsync();
            Assert.True(Directory.Exists($"/proc/{pidBefore}"), "the app's process must survive the server's SIGKILL");

            using var second = ServerProcess.Start(dir, api, http);
            try
            {
                await ServerProcess.WaitHealthyAsync(api);
                Assert.Equal(HttpStatusCode.OK, await GetAppAsync(http));
                Assert.Equal(pidBefore, WebPid(await client.GetStringAsync("v1/apps/web/instances")));
                (await client.DeleteAsync("v1/apps/web")).EnsureSuccessStatusCode();
            }
            finally
            {
                second.Kill();
                await second.WaitForExitAsync();
            }
        }
        finally
        {
            if (!first.HasExited)
            {
                first.Kill();
            }

            first.Dispose();
        }
    }

    private static async Task<HttpStatusCode> GetAppAsync(int http)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{http}/");
        request.Headers.Host = "web.localhost";
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string WebPid(string instancesJson) =>
        JsonDocument.Parse(instancesJson).RootElement.EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "web").GetProperty("pid").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static HttpClient Client(int api, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}/") };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
