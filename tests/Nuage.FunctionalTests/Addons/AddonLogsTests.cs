using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Logs.LogsTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>
/// An add-on's own server lines (here Redis, the quickest to start) reach the log store like an app instance's: read
/// with `nuage addon logs` and `nuage logs --addon`, and delivered by a drain of the add-on to a real TCP receiver.
/// </summary>
public sealed class AddonLogsTests
{
    private const string Ready = "Ready to accept connections";

    [Fact]
    public async Task RedisAddon_ServerLines_AreInAddonLogs_LogsAddon_AndReachItsDrain()
    {
        await using var server = await RunningServer.StartAsync(o => o with { InsecureHostNetwork = true, AllowPrivateDrains = true });
        using var receiver = new TcpListener(IPAddress.Loopback, 0);
        receiver.Start();
        var received = new StringBuilder();
        using var stop = new CancellationTokenSource();
        var receiving = ReceiveAsync(receiver, received, stop.Token);
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("addon", "create", "cache", "--type", "redis")).ExitCode);

        await UntilAsync(async () => (await cli.RunAsync("addon", "logs", "cache")).Output.Contains(Ready, StringComparison.Ordinal), "Redis's ready line in addon logs");
        var json = await cli.RunAsync("addon", "logs", "cache", "--json");
        var lines = json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(lines, l => l.GetProperty("message").GetString()!.Contains(Ready, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.EndsWith("-server", l.GetProperty("instance").GetString(), StringComparison.Ordinal));
        var tail = await cli.RunAsync("addon", "logs", "cache", "--tail", "1", "--json");
        Assert.Single(tail.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(Ready, (await cli.RunAsync("logs", "--addon", "cache")).Output, StringComparison.Ordinal);

        var drain = await cli.RunAsync("drain", "create", "--addon", "cache", "--type", "syslog-tcp", $"tcp://127.0.0.1:{((IPEndPoint)receiver.LocalEndpoint).Port}", "--json");
        Assert.True(drain.ExitCode == 0, drain.ToString());
        Assert.Single(JsonDocument.Parse((await cli.RunAsync("drain", "list", "--addon", "cache", "--json")).Output).RootElement.EnumerateArray());
        // A drain delivers lines written from its creation on: a restart makes Redis write its shutdown and ready lines again.
        Assert.Equal(0, (await cli.RunAsync("addon", "restart", "cache")).ExitCode);
        await UntilAsync(() => Task.FromResult(Received().Contains(Ready, StringComparison.Ordinal)), "Redis's ready line at the drain's receiver");
        Assert.Contains("shutdown", Received(), StringComparison.OrdinalIgnoreCase);

        using var followStop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (follow, following) = RunCliUntilCancelled(server, followStop.Token, "addon", "logs", "cache", "--follow", "--tail", "1");
        await UntilAsync(() => Task.FromResult(following.Text().Contains(Ready, StringComparison.Ordinal)), "the follower's first line");
        Assert.Equal(0, (await cli.RunAsync("addon", "restart", "cache")).ExitCode);
        await UntilAsync(() => Task.FromResult(following.Text().Split(Ready).Length >= 3), "a follower seeing the next restart's ready line");
        await followStop.CancelAsync();
        await follow;

        Assert.Equal(3, (await cli.RunAsync("addon", "logs", "nope")).ExitCode);
        var mixed = await cli.RunAsync("logs", "--addon", "cache", "--app", "web");
        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains("--addon", mixed.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("addon", "delete", "cache", "--yes")).ExitCode);
        await stop.CancelAsync();
        receiver.Stop();
        await receiving;

        string Received()
        {
            lock (received)
            {
                return received.ToString();
            }
        }
    }

    /// <summary>
    /// Attack: the add-on's output file replaced by a symlink to a platform secret while `nuage server` is down (kill -9).
    /// The server comes back, re-adopts the add-on and resumes tailing: the file is opened without following the link,
    /// so nothing of the secret reaches `addon logs` or `addon status`, and the add-on's earlier lines are still there.
    /// </summary>
    [Fact]
    public async Task OutputFileSwappedForSymlinkToSecret_WhileServerDown_NothingOfTheSecretReachesAddonLogs()
    {
        using var dir = new TempDirectory();
        var api = ServerProcess.FreePort();
        var first = ServerProcess.Start(dir, api, ServerProcess.FreePort());
        try
        {
            await WaitHealthyAsync(api);
            var token = (await File.ReadAllTextAsync(dir.Combine("data", "admin-token"))).Trim();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}/") };
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            (await client.PostAsJsonAsync("v1/addons", new { name = "cache", type = "redis" })).EnsureSuccessStatusCode();
            await UntilAsync(async () => (await client.GetStringAsync("v1/addons/cache/logs")).Contains(Ready, StringComparison.Ordinal), "the ready line stored");
            first.Kill();
            await first.WaitForExitAsync();

            const string secret = "PLATFORM-SECRET-7f3a9c";
            var canary = dir.Combine("data", "platform-secret.txt");
            await File.WriteAllTextAsync(canary, secret + "\n");
            var outputs = Directory.GetFiles(Directory.GetDirectories(dir.Combine("data", "logs", "apps"), "addon_*").Single(), "*.log");
            Assert.NotEmpty(outputs);
            foreach (var output in outputs)
            {
                File.Delete(output);
                File.CreateSymbolicLink(output, canary);
            }

            using var second = ServerProcess.Start(dir, api, ServerProcess.FreePort());
            try
            {
                await WaitHealthyAsync(api);
                Assert.Equal("running", (await client.GetFromJsonAsync<JsonElement>("v1/addons/cache")).GetProperty("status").GetString());
                // Long enough for a tailer that followed the link to have read it (it polls every 200 ms at most).
                await Task.Delay(TimeSpan.FromSeconds(2));
                var logs = await client.GetStringAsync("v1/addons/cache/logs");
                Assert.Contains(Ready, logs, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, await client.GetStringAsync("v1/addons/cache"), StringComparison.Ordinal);
                Assert.Equal(secret + "\n", await File.ReadAllTextAsync(canary));
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

    /// <summary>A server process start on a loaded machine can take longer than the helper's 30 s.</summary>
    private static async Task WaitHealthyAsync(int api)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ServerProcess.WaitHealthyAsync(api);
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // Try again.
            }
        }
    }

    private static async Task ReceiveAsync(TcpListener listener, StringBuilder received, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptTcpClientAsync(stop);
                _ = Task.Run(async () =>
                {
                    using (socket)
                    {
                        var buffer = new byte[8192];
                        var stream = socket.GetStream();
                        int read;
                        while ((read = await stream.ReadAsync(buffer, stop)) > 0)
                        {
                            lock (received)
                            {
                                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
                            }
                        }
                    }
                }, stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test is over.
        }
    }
}
