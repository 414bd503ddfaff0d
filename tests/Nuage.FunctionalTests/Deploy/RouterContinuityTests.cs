using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>
/// <c>nuage server --router process</c> as a real child process, with a deployed node app: a client keeps requesting the app
/// while the server is stopped and started again, or SIGKILLed and restarted. The router process serves throughout.
/// </summary>
public sealed class RouterContinuityTests
{
    [Fact]
    public async Task ServerStoppedGracefullyAndStartedAgain_TwiceOver_NoRequestFails_AndRequestsMadeWhileItWasDownAreLogged()
    {
        await using var world = await ContinuityWorld.StartAsync();
        var loop = RequestLoop.Start(world.Http);
        for (var restart = 0; restart < 2; restart++)
        {
            await loop.WaitForMoreAsync(20);
            await world.StopGracefullyAsync();
            var marker = await world.RequestWhileDownAsync();
            await world.StartServerAsync();
            await loop.WaitForMoreAsync(20);
            await world.WaitForAccessRecordsAsync(marker);
        }

        await loop.StopAsync();
        Assert.True(loop.Failures.IsEmpty, $"{loop.Failures.Count} failed request(s) of {loop.Ok + loop.Failures.Count}: {string.Join(" | ", loop.Failures.Take(5))}");
        Assert.True(loop.Ok > 0);
        Assert.Equal(world.RouterPid, world.ReadRouterPid()); // adopted, never replaced
    }

    [Fact]
    public async Task ServerKilledWithSigkillAndRestarted_NoRequestFails_FirstAnswerAfterRestartIsTheAppsOwn_AndDownTimeRequestsAreLogged()
    {
        await using var world = await ContinuityWorld.StartAsync();
        var loop = RequestLoop.Start(world.Http);
        await loop.WaitForMoreAsync(20);
        world.Server.Kill();
        await world.Server.WaitForExitAsync();
        var marker = await world.RequestWhileDownAsync();
        await world.StartServerAsync();

        // The first answer once the restarted server reports ready is the app's own (no 404, no "restoring" 503).
        var (status, body) = await world.GetAppAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("runtime=node", body, StringComparison.Ordinal);

        await loop.WaitForMoreAsync(20);
        await world.WaitForAccessRecordsAsync(marker);

        // This server never forwarded a request itself: its request metrics come from the router's spooled records,
        // the three made while no server ran included.
        var metrics = await world.GetMetricsAsync();
        var served = System.Text.RegularExpressions.Regex.Match(metrics, "nuage_router_requests_total\\{app=\"web\",app_id=\"[^\"]+\",status_class=\"2xx\"\\} (\\d+)\n");
        Assert.True(served.Success, metrics);
        Assert.True(long.Parse(served.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 3, served.Value);
        await loop.StopAsync();
        Assert.True(loop.Failures.IsEmpty, $"{loop.Failures.Count} failed request(s) of {loop.Ok + loop.Failures.Count}: {string.Join(" | ", loop.Failures.Take(5))}");
        Assert.Equal(world.RouterPid, world.ReadRouterPid());
    }

    [Fact]
    public async Task RouterProcessKilled_TheServerStartsANewOne_WhichServesTheAppFromItsSavedSnapshot()
    {
        await using var world = await ContinuityWorld.StartAsync();
        using (var router = Process.GetProcessById(world.RouterPid))
        {
            router.Kill();
            await router.WaitForExitAsync();
        }

        // Supervised like an instance: a new router process (new pid) is started and answers for the app again.
        var (status, body, pid) = (HttpStatusCode.ServiceUnavailable, "", world.RouterPid);
        for (var attempt = 0; attempt < 600 && (status != HttpStatusCode.OK || pid == world.RouterPid); attempt++)
        {
            await Task.Delay(100);
            pid = world.ReadRouterPid();
            try
            {
                (status, body) = await world.GetAppAsync("/");
            }
            catch (HttpRequestException)
            {
                status = HttpStatusCode.ServiceUnavailable; // between the two routers nothing listens
            }
        }

        Assert.NotEqual(world.RouterPid, pid);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("runtime=node", body, StringComparison.Ordinal);
    }

    /// <summary>GETs the app in a loop (one connection, keep-alive) until stopped; every answer but a 200 from the app is a failure.</summary>
    private sealed class RequestLoop
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _task = Task.CompletedTask;
        private int _ok;

        public int Ok => Volatile.Read(ref _ok);

        public ConcurrentQueue<string> Failures { get; } = new();

        public static RequestLoop Start(int http)
        {
            var loop = new RequestLoop();
            loop._task = Task.Run(() => loop.RunAsync(http));
            return loop;
        }

        public async Task WaitForMoreAsync(int count)
        {
            var target = Ok + count;
            for (var i = 0; i < 600 && Ok < target; i++)
            {
                await Task.Delay(50);
            }

            Assert.True(Ok >= target, $"the request loop stalled at {Ok} answers; failures: {string.Join(" | ", Failures.Take(5))}");
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _task;
        }

        private async Task RunAsync(int http)
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            // Bounded: at most 200 000 requests, whatever happens to the stop signal.
            for (var i = 0; i < 200_000 && !_stop.IsCancellationRequested; i++)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{http}/");
                    request.Headers.Host = ContinuityWorld.AppHost;
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.OK && body.StartsWith("runtime=node", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _ok);
                    }
                    else
                    {
                        Failures.Enqueue($"{(int)response.StatusCode} {body.Trim()}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Failures.Enqueue(e.Message);
                }

                await Task.Delay(5);
            }
        }
    }

    /// <summary>A data directory, a server process with <c>--router process</c>, its router process and a deployed node app.</summary>
    private sealed class ContinuityWorld : IAsyncDisposable
    {
        public const string AppHost = "web.localhost";

        private readonly TempDirectory _dir = new();
        private HttpClient? _api;

        public int Api { get; } = ServerProcess.FreePort();

        public int Http { get; } = ServerProcess.FreePort();

        public Process Server { get; private set; } = null!;

        public int RouterPid { get; private set; }

        public static async Task<ContinuityWorld> StartAsync()
        {
            var world = new ContinuityWorld();
            try
            {
                await world.StartServerAsync();
                var token = (await File.ReadAllTextAsync(world._dir.Combine("data", "admin-token"))).Trim();
                world._api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{world.Api}/") };
                world._api.DefaultRequestHeaders.Authorization = new("Bearer", token);
                (await world._api.PostAsync("v1/apps", new StringContent("""{"name":"web","runtime":"node"}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
                var id = await Deployer.StartAsync(world._api, "web", Deployer.Example("node"));
                var deployment = await Deployer.WaitAsync(world._api, "web", id);
                Assert.Equal("succeeded", deployment.GetProperty("state").GetString());
                world.RouterPid = world.ReadRouterPid();
                return world;
            }
            catch
            {
                await world.DisposeAsync();
                throw;
            }
        }

        public async Task StartServerAsync()
        {
            Server = ServerProcess.Start(_dir, Api, Http, null, "--router", "process");
            await ServerProcess.WaitHealthyAsync(Api);
        }

        public async Task StopGracefullyAsync()
        {
            using (var kill = Process.Start("kill", ["-TERM", Server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await Server.WaitForExitAsync();
            Assert.Equal(0, Server.ExitCode);
        }

        /// <summary>While no server runs: requests with a unique marker are answered by the app through the router.</summary>
        public async Task<string> RequestWhileDownAsync()
        {
            Assert.True(Server.HasExited);
            var marker = Guid.NewGuid().ToString("N");
            for (var i = 0; i < 3; i++)
            {
                var (status, body) = await GetAppAsync($"/while-down-{marker}");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.StartsWith("runtime=node", body, StringComparison.Ordinal);
            }

            return marker;
        }

        public async Task WaitForAccessRecordsAsync(string marker)
        {
            var count = 0;
            for (var attempt = 0; attempt < 300; attempt++)
            {
                var records = JsonDocument.Parse(await _api!.GetStringAsync($"v1/apps/web/logs?source=access&search={marker}&since=1h&limit=100")).RootElement;
                count = records.GetArrayLength();
                if (count >= 3)
                {
                    return;
                }

                await Task.Delay(100);
            }

            Assert.Fail($"the access log shows {count} of the 3 requests made while the server was down");
        }

        public Task<string> GetMetricsAsync() => _api!.GetStringAsync("metrics");

        public async Task<(HttpStatusCode Status, string Body)> GetAppAsync(string path)
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{Http}{path}");
            request.Headers.Host = AppHost;
            using var response = await client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public int ReadRouterPid() => ServerProcess.RouterPid(_dir.Combine("data"));

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_api is not null && Server is { HasExited: false })
                {
                    await _api.DeleteAsync("v1/apps/web");
                }
            }
            catch (HttpRequestException)
            {
                // Best effort: the instances die with the temp directory's cleanup below anyway.
            }

            if (Server is { HasExited: false })
            {
                Server.Kill();
                await Server.WaitForExitAsync();
            }

            await ServerProcess.KillRouterAsync(_dir.Combine("data"));

            _api?.Dispose();
            Server?.Dispose();
            _dir.Dispose();
        }
    }
}
