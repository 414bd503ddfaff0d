using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Nuage.Core.Instances;
using Nuage.Runtime.Processes;
using Nuage.Runtime.Scheduling;
using Nuage.Runtime.Tests.Support;

namespace Nuage.Runtime.Tests.Security;

/// <summary>
/// Attacks from one app's instance on the network: other apps' instances, the host's services, procfs, port takeover.
/// Each instance runs in a network namespace of its own, reachable only from the host (the router).
/// </summary>
public sealed partial class NetworkIsolationAttackTests : IAsyncLifetime
{
    private readonly SchedulerFixture _fx = new();
    private LocalScheduler _scheduler = null!;

    public async Task InitializeAsync() => _scheduler = await _fx.CreateSchedulerAsync(Isolated);

    public async Task DisposeAsync() => await _fx.DisposeAsync();

    [Fact]
    public async Task AppInstance_ConnectingToAnotherAppsInstanceDirectly_IsRefused_WhileTheRouterReachesIt()
    {
        // Given app B's web instance, reachable from the host (as the router reaches it).
        var (victim, victimAddress) = await StartWebAsync("netvictim", "victim page");
        Assert.Equal("victim page", await GetAsync(victimAddress, victim.Port!.Value));

        // When app A's instance connects to B's address and port directly.
        var output = await RunAttackerAsync("netattacker", Connect(victimAddress, victim.Port!.Value));

        // Then the connection fails.
        Assert.Contains($"REFUSED {victimAddress}:{victim.Port}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppInstance_ConnectingToHostServices_IsRefused()
    {
        // Given services on the host: one on loopback (like the API, 127.0.0.1:7070) and one on every address.
        using var loopback = new TcpListener(IPAddress.Loopback, 0);
        using var everywhere = new TcpListener(IPAddress.Any, 0);
        loopback.Start();
        everywhere.Start();
        var loopbackPort = ((IPEndPoint)loopback.LocalEndpoint).Port;
        var everywherePort = ((IPEndPoint)everywhere.LocalEndpoint).Port;
        var address = _scheduler.AllocateAddress();
        var hostEnd = address is null ? "127.0.0.1" : _scheduler.RouterAddressFor(address);

        // When an app's instance connects to them: at 127.0.0.1, at the host's end of its own link, at the host's other addresses.
        var targets = new List<(string Host, int Port)> { ("127.0.0.1", loopbackPort), ("127.0.0.1", everywherePort), (hostEnd, loopbackPort), (hostEnd, everywherePort) };
        targets.AddRange(HostAddresses().Select(a => (a, everywherePort)));
        var output = await RunAttackerAsync("nethost", string.Join("\n", targets.Select(t => Connect(t.Host, t.Port))), address);

        // Then every connection fails.
        Assert.DoesNotContain("CONNECTED", output, StringComparison.Ordinal);
        Assert.Equal(targets.Count, output.Split('\n').Count(l => l.StartsWith("REFUSED", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AppInstance_ReadingProcNetTcp_SeesNoOtherAppsSockets()
    {
        // Given app B listening on its port.
        var (victim, victimAddress) = await StartWebAsync("netproc", "b");
        Assert.Equal("b", await GetAsync(victimAddress, victim.Port!.Value));

        // When app A reads the kernel's socket table.
        var output = await RunAttackerAsync("netprocreader", "cat /proc/net/tcp /proc/net/tcp6");

        // Then B's listening socket is not in it.
        var port = victim.Port!.Value.ToString("X4", CultureInfo.InvariantCulture);
        Assert.Contains("local_address", output, StringComparison.Ordinal);
        Assert.DoesNotContain($":{port} ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppPort_AfterItsInstanceCrashes_CannotBeTakenOverByAnotherApp()
    {
        // Given app A's web instance, and app B's instance binding A's port in a loop (as an attacker waiting for a crash).
        var (victim, victimAddress) = await StartWebAsync("nettakeover", "A", restartDelay: TimeSpan.FromSeconds(3));
        var port = victim.Port!.Value;
        Assert.Equal("A", await GetAsync(victimAddress, port));
        _fx.CreateApp("netsquatter", new Dictionary<string, string> { ["index.html"] = "B" });
        var squatterAddress = _scheduler.AllocateAddress();
        var squatter = _fx.Spec("netsquatter", "netsquatter-1", $"while true; do python3 -m http.server {port} --bind 0.0.0.0; sleep 0.1; done", InstanceKind.Worker, address: squatterAddress)
            with { RestartPolicy = RestartPolicy.No };
        await _scheduler.StartAsync(squatter);

        // When A's app process crashes, and requests keep coming to A's address while it restarts.
        var state = _scheduler.Get(victim.InstanceId)!;
        var app = ProcStat.InSession(state.Pid).First(p => p.Comm.StartsWith("python", StringComparison.Ordinal));
        Signals.Send(app.Pid, Signals.SigKill);
        var answers = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(8);
        while (DateTime.UtcNow < deadline)
        {
            answers.Add(await TryGetAsync(victimAddress, port));
            await Task.Delay(100);
        }

        // Then no request ever reached B: A's address answers A or nothing, and A is back afterwards.
        Assert.DoesNotContain("B", answers);
        Assert.Contains(answers, a => a == "unreachable");
        Assert.Equal("A", await GetAsync(victimAddress, port));
        if (squatterAddress is not null)
        {
            // B did hold the port, in its own namespace.
            Assert.Equal("B", await GetAsync(squatterAddress, port));
        }
    }

    [Fact]
    public async Task AppInstance_ConnectingToTheInternet_Works()
    {
        // Given a host outside the machine's private networks: a namespace of this test with 203.0.113.x (TEST-NET-3).
        await using var internet = await FakeInternetHost.StartAsync();

        // When an app's instance fetches a page from it.
        var output = await RunAttackerAsync("netoutbound", $"exec 3<>/dev/tcp/{internet.Address}/{FakeInternetHost.Port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && timeout 5 cat <&3");

        // Then it gets the page.
        Assert.Contains("HTTP/1.0 200", output, StringComparison.Ordinal);
        Assert.Contains(FakeInternetHost.Page, output, StringComparison.Ordinal);
    }

    /// <summary>Isolation on (the default); flip to host network to see these attacks succeed.</summary>
    private static LocalSchedulerOptions Isolated(LocalSchedulerOptions options) => options with { InsecureHostNetwork = false };

    /// <summary>A line of the attacker's script: "CONNECTED" or "REFUSED" for host:port, bounded by timeout (a dropped SYN hangs).</summary>
    private static string Connect(string host, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"if timeout 3 bash -c 'exec 3<>/dev/tcp/{host}/{port}' 2>/dev/null; then echo 'CONNECTED {host}:{port}'; else echo 'REFUSED {host}:{port}'; fi");

    private async Task<(InstanceSpec Spec, string Address)> StartWebAsync(string appId, string page, TimeSpan? restartDelay = null)
    {
        _fx.CreateApp(appId, new Dictionary<string, string> { ["index.html"] = page });
        var address = _scheduler.AllocateAddress();
        var spec = _fx.Spec(appId, appId + "-web", "exec python3 -m http.server $PORT --bind 127.0.0.1", InstanceKind.Web, _scheduler.AllocatePort(), address: address)
            with { RestartDelay = restartDelay ?? TimeSpan.FromMilliseconds(50) };
        await _scheduler.StartAsync(spec);
        return (spec, address ?? "127.0.0.1");
    }

    /// <summary>Runs <paramref name="script"/> as a task of another app and returns its output.</summary>
    private async Task<string> RunAttackerAsync(string appId, string script, string? address = null)
    {
        _fx.CreateApp(appId);
        var spec = _fx.Spec(appId, appId + "-task", script, address: address ?? _scheduler.AllocateAddress());
        await _scheduler.StartAsync(spec);
        var final = await _scheduler.WaitForExitAsync(spec.InstanceId).WaitAsync(TimeSpan.FromSeconds(60));
        var output = await File.ReadAllTextAsync(spec.StdoutPath) + await File.ReadAllTextAsync(spec.StderrPath);
        Assert.True(final.ExitCode == 0 || output.Length > 0, $"the attacker task failed with {final.ExitCode} and no output");
        return output;
    }

    private static IEnumerable<string> HostAddresses() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .Select(a => a.ToString())
            .Take(4);

    private static async Task<string> GetAsync(string host, int port, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var answer = await TryGetAsync(host, port);
            if (answer != "unreachable" || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<string> TryGetAsync(string host, int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return await client.GetStringAsync(new Uri($"http://{host}:{port}/"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return "unreachable";
        }
    }
}
