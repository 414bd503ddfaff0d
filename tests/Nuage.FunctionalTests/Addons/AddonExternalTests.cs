using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>
/// `nuage addon create --external URL` against a second real Redis started by the test (not by Nuage): the linked app's
/// variables point at it, status checks that it answers, Nuage-run operations are refused, bad URLs name the field.
/// </summary>
public sealed class AddonExternalTests
{
    [Fact]
    public async Task ExternalRedis_LinksLikeManaged_StatusAnswers_RefusesRestartAndBackups_BadUrlsNameTheField()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        var port = FreePort();
        const string password = "ext3rnalSecretPw";
        var dir = Path.Combine(server.Scratch, "external-redis");
        Directory.CreateDirectory(dir);
        using var redis = Process.Start(new ProcessStartInfo("/usr/bin/redis-server",
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--requirepass", password, "--save", "", "--appendonly", "no", "--dir", dir])
        { RedirectStandardOutput = true })!;
        try
        {
            var auth = new Dictionary<string, string> { ["REDISCLI_AUTH"] = password };
            for (var i = 0; i < 100 && (await RunAsync("redis-cli", auth, "-p", $"{port}", "PING")).Output.Trim() != "PONG"; i++)
            {
                await Task.Delay(100);
            }

            await RunAsync("redis-cli", auth, "-p", $"{port}", "SET", "greeting", "from-outside");
            var url = $"redis://:{password}@127.0.0.1:{port}/0";
            var created = await cli.RunWithInputAsync(url + "\n", "addon", "create", "ext-cache", "--type", "redis", "--external", "-", "--json");
            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.DoesNotContain(password, created.Output, StringComparison.Ordinal);
            var dto = JsonDocument.Parse(created.Output).RootElement;
            Assert.Equal("external", dto.GetProperty("status").GetString());
            Assert.True(dto.GetProperty("external").GetBoolean());
            Assert.True(dto.GetProperty("answers").GetBoolean());
            Assert.Equal(port, dto.GetProperty("port").GetInt32());

            // No server was started for it: nothing supervised under its name.
            Assert.Equal(0, dto.GetProperty("pid").GetInt32());

            Assert.Equal(0, (await cli.RunAsync("create", "web", "-t", "python")).ExitCode);
            var linked = await cli.RunAsync("addon", "link", "ext-cache", "--app", "web");
            Assert.True(linked.ExitCode == 0, linked.ToString());
            var env = await cli.RunAsync("env", "--app", "web");
            Assert.Contains($"REDIS_URL=redis://:{password}@127.0.0.1:{port}", env.Output, StringComparison.Ordinal);
            Assert.Contains($"REDIS_PORT={port}", env.Output, StringComparison.Ordinal);
            Assert.Contains("# from add-on ext-cache (read-only)", env.Output, StringComparison.Ordinal);

            // The linked variables open the external server itself.
            var credentials = await CredentialsAsync(server, "ext-cache");
            Assert.Equal("from-outside", (await RunAsync("redis-cli", new Dictionary<string, string> { ["REDISCLI_AUTH"] = credentials["REDIS_PASSWORD"] },
                "-h", credentials["REDIS_HOST"], "-p", credentials["REDIS_PORT"], "GET", "greeting")).Output.Trim());

            var status = await cli.RunAsync("addon", "status", "ext-cache");
            Assert.Contains("status:   external (answers)", status.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(password, status.Output, StringComparison.Ordinal);

            foreach (var refused in new[] { new[] { "addon", "restart", "ext-cache" }, ["addon", "backup", "ext-cache"], ["addon", "credentials", "ext-cache", "--rotate"] })
            {
                var result = await cli.RunAsync(refused);
                Assert.True(result.ExitCode == 2, result.ToString());
                Assert.Contains("is external", result.Error, StringComparison.Ordinal);
            }

            // Bad URLs: CLI exit 2, API 422, both naming the field "external"; the password is never repeated.
            foreach (var bad in new[] { $"postgres://u:{password}@127.0.0.1/db", $"redis://:{password}@127.0.0.1:99999/0", $"redis://:{password}@127.0.0.1:0/0", "redis://" })
            {
                var result = await cli.RunWithInputAsync(bad + "\n", "addon", "create", "bad-ext", "--type", "redis", "--external", "-");
                Assert.True(result.ExitCode == 2, result.ToString());
                Assert.Contains("external", result.Error, StringComparison.Ordinal);
                Assert.DoesNotContain(password, result.Error, StringComparison.Ordinal);
            }

            using var http = server.Http();
            var response = await http.PostAsJsonAsync("v1/addons", new { name = "bad-ext", type = "mysql", external = $"redis://:{password}@127.0.0.1:{port}/0" });
            Assert.Equal((HttpStatusCode)422, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("\"field\":\"external\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain(password, body, StringComparison.Ordinal);

            // Once the external server is gone, status says so.
            redis.Kill();
            await redis.WaitForExitAsync();
            var down = await cli.RunAsync("addon", "status", "ext-cache", "--json");
            Assert.False(JsonDocument.Parse(down.Output).RootElement.GetProperty("answers").GetBoolean());

            // Delete only forgets it.
            Assert.Equal(0, (await cli.RunAsync("addon", "delete", "ext-cache", "--yes")).ExitCode);
            Assert.DoesNotContain("ext-cache", (await cli.RunAsync("addon", "list")).Output, StringComparison.Ordinal);
        }
        finally
        {
            if (!redis.HasExited)
            {
                redis.Kill();
            }
        }
    }
}
