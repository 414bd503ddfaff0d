using System.Diagnostics;
using System.Net;
using Nuage.Bgp.Tests.Interop;
using Nuage.Tests.Shared;

namespace Nuage.Bgp.Tests.Namespaces;

/// <summary>BIRD, FRR or GoBGP in the far namespace of a <see cref="VethLink"/>, read back the same way whichever it is.</summary>
internal sealed class PeerDaemon : IAsyncDisposable
{
    private readonly IAsyncDisposable _daemon;
    private readonly Func<string, Task<string>> _routes;
    private readonly Func<Task<string>> _diagnose;

    private PeerDaemon(IAsyncDisposable daemon, Func<string, Task<string>> routes, Func<Task<string>> diagnose, Func<string, bool> gracefulShutdown)
    {
        _daemon = daemon;
        _routes = routes;
        _diagnose = diagnose;
        HasGracefulShutdown = gracefulShutdown;
    }

    /// <summary>Whether a route listing shows the GRACEFUL_SHUTDOWN community (65535:0), as this daemon prints it.</summary>
    public Func<string, bool> HasGracefulShutdown { get; }

    public static async Task<PeerDaemon> StartAsync(string daemon, VethLink link, IPAddress address, IPAddress neighbor) => daemon switch
    {
        "bird" => Of(await BirdPeer.StartAsync(address, neighbor, 65000, 65001, netns: link.Far)),
        "frr" => Of(await Frr.StartAsync(address, neighbor, 65000, 65001, link.Far)),
        "gobgp" => Of(await GoBgp.StartAsync(address, neighbor, 65000, 65001, link.Far)),
        _ => throw new ArgumentOutOfRangeException(nameof(daemon), daemon, "bird, frr or gobgp"),
    };

    private static PeerDaemon Of(BirdPeer bird) =>
        new(bird, _ => bird.RoutesAsync(), bird.ProtocolAsync, r => r.Contains("(65535,0)", StringComparison.Ordinal));

    // FRR's table listing has no communities: the test's IPv4 route is asked for in detail too.
    private static PeerDaemon Of(Frr frr) =>
        new(frr, async family => await frr.RoutesAsync(family) + (family == "ipv4" ? await frr.RoutesAsync(family, "192.0.2.0/24") : ""), async () => await frr.NeighborAsync() + frr.Log, r => r.Contains("graceful-shutdown", StringComparison.OrdinalIgnoreCase) || r.Contains("65535:0", StringComparison.Ordinal));

    private static PeerDaemon Of(GoBgp gobgp) =>
        new(gobgp, gobgp.RibAsync, async () => await gobgp.NeighborAsync() + gobgp.Log, r => r.Contains("4294901760", StringComparison.Ordinal));

    /// <summary>Polls the peer's table for <paramref name="family"/> until <paramref name="done"/> holds (bounded) and returns the last listing.</summary>
    public async Task<string> WaitForAsync(string family, Func<string, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        var routes = await _routes(family);
        while (!done(routes) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            routes = await _routes(family);
        }

        return routes;
    }

    public Task<string> DiagnoseAsync() => _diagnose();

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();
}
