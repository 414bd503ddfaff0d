using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>A real `nuage server` child process killed with SIGKILL: the add-on's server keeps running with its data and is re-adopted.</summary>
public sealed class AddonServerKillTests
{
    [Fact]
    public async Task ServerKilledWithSigkill_RedisAddonKeepsRunningWithItsData_AndIsReadopted()
    {
        using var dir = new TempDirectory();
        var api = ServerProcess.FreePort();
        var first = ServerProcess.Start(dir, api, ServerProcess.FreePort());
        try
        {
            await ServerProcess.WaitHealthyAsync(api);
            var token = (await File.ReadAllTextAsync(dir.Combine("data", "admin-token"))).Trim();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}/") };
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            (await client.PostAsJsonAsync("v1/addons", new { name = "cache", type = "redis" })).EnsureSuccessStatusCode();
            var credentials = (await client.GetFromJsonAsync<JsonElement>("v1/addons/cache/credentials")).GetProperty("variables");
            var redis = new Dictionary<string, string> { ["REDISCLI_AUTH"] = credentials.GetProperty("REDIS_PASSWORD").GetString()! };
            string[] target = ["-h", credentials.GetProperty("REDIS_HOST").GetString()!, "-p", credentials.GetProperty("REDIS_PORT").GetString()!];
            Assert.Contains("OK", (await RunAsync("redis-cli", redis, [.. target, "SET", "survivor", "yes"])).Output, StringComparison.Ordinal);
            var pid = (await client.GetFromJsonAsync<JsonElement>("v1/addons/cache")).GetProperty("pid").GetInt32();

            first.Kill();
            await first.WaitForExitAsync();
            Assert.True(Directory.Exists($"/proc/{pid}"), "the add-on's server must survive the server's SIGKILL");
            Assert.Contains("yes", (await RunAsync("redis-cli", redis, [.. target, "GET", "survivor"])).Output, StringComparison.Ordinal);

            using var second = ServerProcess.Start(dir, api, ServerProcess.FreePort());
            try
            {
                await ServerProcess.WaitHealthyAsync(api);
                var after = await client.GetFromJsonAsync<JsonElement>("v1/addons/cache");
                Assert.Equal("running", after.GetProperty("status").GetString());
                Assert.Equal(pid, after.GetProperty("pid").GetInt32());
                Assert.Contains("yes", (await RunAsync("redis-cli", redis, [.. target, "GET", "survivor"])).Output, StringComparison.Ordinal);
                (await client.DeleteAsync("v1/addons/cache?force=true")).EnsureSuccessStatusCode();
            }
            finally
            {
                second.Kill();
                await second.WaitForExitAsync();
                await Runtime.Networking.InstanceNetworks.RunAsync("nft", ["delete", "table", "inet", Runtime.Networking.InstanceNetworks.TableFor(dir.Combine("data", "run"))], null, CancellationToken.None);
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
}
