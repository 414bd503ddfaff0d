using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Bgp.Sessions;
using Nuage.Bgp.Wire;
using Nuage.Tests.Shared;
using AddressFamily = Nuage.Bgp.Wire.AddressFamily;

namespace Nuage.Bgp.Tests.Namespaces;

/// <summary>
/// Nuage's speaker and a real BIRD 2, FRR bgpd or GoBGP as two routers on a point-to-point link: each in a network
/// namespace made by the test, joined by a veth pair, on port 179 with private addresses that exist only inside the
/// namespaces. The session's socket is opened in the "near" namespace (<see cref="PeerConfig.Namespace"/>).
/// </summary>
public sealed class VethSessionTests
{
    private const uint GracefulShutdown = 0xFFFF0000;

    public static TheoryData<string> Daemons => ["bird", "frr", "gobgp"];

    [Theory]
    [MemberData(nameof(Daemons))]
    public async Task OverAVethLink_BothFamiliesReachThePeer_WithOurLinkAddressesAsNextHops_ThenGracefulShutdownThenWithdrawal(string daemon)
    {
        await using var link = await VethLink.CreateAsync();
        await using var peer = await PeerDaemon.StartAsync(daemon, link, link.FarV4, link.NearV4);
        var session = new BgpSession(Peer(link, link.FarV4) with { NextHopV6 = link.NearV6 }, TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements([
            new Announcement(IPNetwork.Parse("192.0.2.0/24")) { Communities = [(65001u << 16) | 7] },
            new Announcement(IPNetwork.Parse("2001:db8:42::/48")),
        ]);

        session.Start();
        var v4 = await peer.WaitForAsync("ipv4", r => r.Contains("192.0.2.0/24", StringComparison.Ordinal));
        var v6 = await peer.WaitForAsync("ipv6", r => r.Contains("2001:db8:42::/48", StringComparison.Ordinal));

        Assert.True(v4.Contains("192.0.2.0/24", StringComparison.Ordinal), $"{session.State}: {session.LastError}\n{v4}\n{await peer.DiagnoseAsync()}");
        Assert.Contains(link.NearV4.ToString(), v4, StringComparison.Ordinal); // next hop: our end of the link
        Assert.True(v6.Contains("2001:db8:42::/48", StringComparison.Ordinal), $"{session.State}: {session.LastError}\n{v6}\n{await peer.DiagnoseAsync()}");
        Assert.Contains(link.NearV6.ToString(), v6, StringComparison.Ordinal);

        var shutdown = session.ShutdownAsync(TimeSpan.FromSeconds(3));
        var marked = await peer.WaitForAsync("ipv4", peer.HasGracefulShutdown);
        await shutdown;
        var gone = await peer.WaitForAsync("ipv4", r => !r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        Assert.True(peer.HasGracefulShutdown(marked), marked);
        Assert.DoesNotContain("192.0.2.0/24", gone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionOverIpv6_AnnouncesWithItsOwnLinkAddressAsNextHop()
    {
        await using var link = await VethLink.CreateAsync();
        await using var bird = await BirdPeer.StartAsync(link.FarV6, link.NearV6, localAs: 65000, neighborAs: 65001, netns: link.Far);
        await using var session = new BgpSession(
            Peer(link, link.FarV6) with { RouterId = link.NearV4, Families = [AddressFamily.IPv6Unicast] }, TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements([new Announcement(IPNetwork.Parse("2001:db8:77::/48"))]);

        session.Start();
        var routes = await bird.WaitForRoutesAsync(r => r.Contains("2001:db8:77::/48", StringComparison.Ordinal));

        Assert.True(routes.Contains("2001:db8:77::/48", StringComparison.Ordinal), $"{session.State}: {session.LastError}\n{await bird.ProtocolAsync()}");
        Assert.Contains("BGP.next_hop: " + link.NearV6, routes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentLink_ExpiresTheHoldTimerOnBothSides_AndTheSessionComesBackWhenTheLinkDoes()
    {
        await using var link = await VethLink.CreateAsync();
        await using var bird = await BirdPeer.StartAsync(link.FarV4, link.NearV4, localAs: 65000, neighborAs: 65001, holdTime: 3, netns: link.Far);
        var changes = new List<SessionChange>();
        await using var session = new BgpSession(Peer(link, link.FarV4) with { HoldTime = 3 }, TimeProvider.System, NullLogger.Instance);
        session.Changed += (_, change) => { lock (changes) { changes.Add(change); } };
        session.SetAnnouncements([new Announcement(IPNetwork.Parse("192.0.2.0/24"))]);
        session.Start();
        await bird.WaitForRoutesAsync(r => r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        await link.SilenceAsync();
        await WaitAsync(() => session.State != SessionState.Established);
        var lost = await bird.WaitForRoutesAsync(r => !r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        Assert.Equal("hold timer expired", session.LastError);
        Assert.DoesNotContain("192.0.2.0/24", lost, StringComparison.Ordinal); // BIRD's own hold timer dropped our route
        Assert.Contains("Hold timer expired", await bird.ProtocolAsync(), StringComparison.OrdinalIgnoreCase);

        await link.RestoreAsync();
        var back = await bird.WaitForRoutesAsync(r => r.Contains("192.0.2.0/24", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        Assert.Contains("192.0.2.0/24", back, StringComparison.Ordinal);
        lock (changes)
        {
            // Up, down for the hold timer, (a failed reconnect while the link was silent, with its own reason,) up again.
            Assert.Equal(SessionState.Established, changes[0].State);
            Assert.Equal((SessionState.Idle, "hold timer expired"), (changes[1].State, changes[1].Reason));
            Assert.Equal(SessionState.Established, changes[^1].State);
        }
    }

    [Fact]
    public async Task PeerReset_IsDecodedFromItsNotification_AndTheSessionReconnects()
    {
        await using var link = await VethLink.CreateAsync();
        await using var bird = await BirdPeer.StartAsync(link.FarV4, link.NearV4, localAs: 65000, neighborAs: 65001, netns: link.Far);
        await using var session = new BgpSession(Peer(link, link.FarV4), TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements([new Announcement(IPNetwork.Parse("192.0.2.0/24"))]);
        session.Start();
        await bird.WaitForRoutesAsync(r => r.Contains("192.0.2.0/24", StringComparison.Ordinal));
        var first = session.EstablishedAt;

        await bird.RestartSessionAsync();
        await WaitAsync(() => session.EstablishedAt is { } at && at != first);
        var back = await bird.WaitForRoutesAsync(r => r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        Assert.Contains("cease: administrative reset", session.LastError ?? "(no error recorded)", StringComparison.Ordinal);
        Assert.Equal(SessionState.Established, session.State);
        Assert.Contains("192.0.2.0/24", back, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetachedSessionWithGracefulRestart_LeavesTheRoutesWithThePeer_UntilTheNextSessionsEndOfRib()
    {
        await using var link = await VethLink.CreateAsync();
        await using var bird = await BirdPeer.StartAsync(link.FarV4, link.NearV4, localAs: 65000, neighborAs: 65001, netns: link.Far);
        var peer = Peer(link, link.FarV4) with { GracefulRestartTime = 30, Families = [AddressFamily.IPv4Unicast] };
        var first = new BgpSession(peer, TimeProvider.System, NullLogger.Instance);
        first.SetAnnouncements([new Announcement(IPNetwork.Parse("192.0.2.0/24")), new Announcement(IPNetwork.Parse("198.51.100.0/24"))]);
        first.Start();
        await bird.WaitForRoutesAsync(r => r.Contains("198.51.100.0/24", StringComparison.Ordinal) && r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        await first.DetachAsync(); // as a server stopping while its router keeps serving
        await Task.Delay(2000);
        var kept = await bird.RoutesAsync();
        var protocol = await bird.ProtocolAsync();

        Assert.True(kept.Contains("192.0.2.0/24", StringComparison.Ordinal), kept + protocol);
        Assert.Contains("198.51.100.0/24", kept, StringComparison.Ordinal);

        await using var second = new BgpSession(peer, TimeProvider.System, NullLogger.Instance);
        second.SetAnnouncements([new Announcement(IPNetwork.Parse("192.0.2.0/24"))]); // 198.51.100.0/24 is no longer served
        second.Start();
        var after = await bird.WaitForRoutesAsync(r => !r.Contains("198.51.100.0/24", StringComparison.Ordinal));

        Assert.Contains("192.0.2.0/24", after, StringComparison.Ordinal);
        Assert.DoesNotContain("198.51.100.0/24", after, StringComparison.Ordinal); // End-of-RIB flushed what was not announced again
    }

    [Fact]
    public async Task MissingNamespace_IsTheSessionsError_NotACrash()
    {
        await using var session = new BgpSession(
            new PeerConfig { Address = IPAddress.Parse("10.231.250.2"), RemoteAs = 65000, LocalAs = 65001, RouterId = IPAddress.Parse("10.231.250.1"), Namespace = "nuage-no-such-namespace" },
            TimeProvider.System,
            NullLogger.Instance);

        session.Start();
        await WaitAsync(() => session.LastError is not null);

        Assert.Equal("network namespace nuage-no-such-namespace does not exist (/run/netns/nuage-no-such-namespace)", session.LastError);
    }

    private static PeerConfig Peer(VethLink link, IPAddress address) => new()
    {
        Address = address,
        RemoteAs = 65000,
        LocalAs = 65001,
        RouterId = link.NearV4,
        Namespace = link.Near,
        HoldTime = 9,
        Families = [AddressFamily.IPv4Unicast, AddressFamily.IPv6Unicast],
    };

    private static async Task WaitAsync(Func<bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (!done() && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }
    }
}
