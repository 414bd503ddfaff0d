using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Bgp.Sessions;
using Nuage.Bgp.Wire;

namespace Nuage.Bgp.Tests.Interop;

/// <summary>Nuage's speaker against a real FRR bgpd on loopback addresses of the test's own: what FRR receives, read back with vtysh.</summary>
public sealed class FrrSessionTests
{
    private static readonly IPAddress FrrAddress = IPAddress.Parse("127.0.81.2");
    private static readonly IPAddress NuageAddress = IPAddress.Parse("127.0.81.1");

    [Fact]
    public async Task Announcements_ReachFrr_WithPathCommunitiesAndMed_AndAreWithdrawnWhenRemoved()
    {
        await using var frr = await Frr.StartAsync(FrrAddress, NuageAddress, localAs: 65000, neighborAs: 4_200_000_001);
        await using var session = new BgpSession(Peer(frr) with { Med = 50, Prepend = 1 }, TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements(
        [
            new Announcement(IPNetwork.Parse("192.0.2.0/24")) { Communities = [(65001u << 16) | 42], LargeCommunities = [new LargeCommunity(4_200_000_001, 7, 9)] },
            new Announcement(IPNetwork.Parse("198.51.100.10/32")),
        ]);

        session.Start();
        var table = await frr.WaitForRoutesAsync("ipv4", null, r => r.Contains("198.51.100.10/32", StringComparison.Ordinal) && r.Contains("192.0.2.0/24", StringComparison.Ordinal));
        var route = await frr.RoutesAsync("ipv4", "192.0.2.0/24");

        Assert.True(session.State == SessionState.Established && table.Contains("192.0.2.0/24", StringComparison.Ordinal), $"{session.State}: {session.LastError}\n{await frr.NeighborAsync()}\n{table}\n{frr.Log}");
        Assert.Contains("\"string\":\"4200000001 4200000001\"", route, StringComparison.Ordinal);
        Assert.Contains("\"metric\":50", route, StringComparison.Ordinal);
        Assert.Contains("\"ip\":\"203.0.113.81\"", route, StringComparison.Ordinal);
        Assert.Contains("\"string\":\"65001:42\"", route, StringComparison.Ordinal);
        Assert.Contains("\"string\":\"4200000001:7:9\"", route, StringComparison.Ordinal);

        session.SetAnnouncements([new Announcement(IPNetwork.Parse("192.0.2.0/24"))]);
        table = await frr.WaitForRoutesAsync("ipv4", null, r => !r.Contains("198.51.100.10/32", StringComparison.Ordinal));
        route = await frr.WaitForRoutesAsync("ipv4", "192.0.2.0/24", r => !r.Contains("65001:42", StringComparison.Ordinal));

        Assert.DoesNotContain("198.51.100.10/32", table, StringComparison.Ordinal);
        Assert.Contains("192.0.2.0/24", table, StringComparison.Ordinal);
        Assert.DoesNotContain("65001:42", route, StringComparison.Ordinal); // the changed route was sent again without its community
    }

    [Fact]
    public async Task Ipv6Prefix_TravelsInMultiprotocolAttributes_AndIsWithdrawn()
    {
        await using var frr = await Frr.StartAsync(FrrAddress, NuageAddress, localAs: 65000, neighborAs: 65001);
        var peer = Peer(frr, 65001) with
        {
            Families = [AddressFamily.IPv4Unicast, AddressFamily.IPv6Unicast],
            NextHopV6 = IPAddress.Parse("2001:db8:81::1"),
        };
        await using var session = new BgpSession(peer, TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements([new Announcement(IPNetwork.Parse("2001:db8:42::/48")) { LargeCommunities = [new LargeCommunity(65001, 1, 2)] }]);

        session.Start();
        var table = await frr.WaitForRoutesAsync("ipv6", null, r => r.Contains("2001:db8:42::/48", StringComparison.Ordinal));
        var route = await frr.RoutesAsync("ipv6", "2001:db8:42::/48");

        Assert.True(table.Contains("2001:db8:42::/48", StringComparison.Ordinal), $"{session.State}: {session.LastError}\n{table}\n{frr.Log}");
        Assert.Contains("\"string\":\"65001\"", route, StringComparison.Ordinal);
        Assert.Contains("\"ip\":\"2001:db8:81::1\"", route, StringComparison.Ordinal);
        Assert.Contains("\"string\":\"65001:1:2\"", route, StringComparison.Ordinal);

        session.SetAnnouncements([]);
        table = await frr.WaitForRoutesAsync("ipv6", null, r => !r.Contains("2001:db8:42::/48", StringComparison.Ordinal));
        Assert.DoesNotContain("2001:db8:42::/48", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlannedShutdown_SendsGracefulShutdownCommunityFirst_ThenWithdraws()
    {
        await using var frr = await Frr.StartAsync(FrrAddress, NuageAddress, localAs: 65000, neighborAs: 65001);
        var session = new BgpSession(Peer(frr, 65001), TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements([new Announcement(IPNetwork.Parse("192.0.2.0/24"))]);
        session.Start();
        await frr.WaitForRoutesAsync("ipv4", null, r => r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        var shutdown = session.ShutdownAsync(TimeSpan.FromSeconds(3));
        var marked = await frr.WaitForRoutesAsync("ipv4", "192.0.2.0/24", r => r.Contains("graceful-shutdown", StringComparison.Ordinal));
        await shutdown;
        var after = await frr.WaitForRoutesAsync("ipv4", null, r => !r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        Assert.Contains("graceful-shutdown", marked, StringComparison.Ordinal); // FRR names 65535:0 by its well-known name
        Assert.DoesNotContain("192.0.2.0/24", after, StringComparison.Ordinal);
    }

    private static PeerConfig Peer(Frr frr, uint localAs = 4_200_000_001) => new()
    {
        Address = frr.Address,
        Port = frr.Port,
        RemoteAs = 65000,
        LocalAs = localAs,
        RouterId = NuageAddress,
        LocalAddress = NuageAddress,
        HoldTime = 9,

        // A loopback next hop is a martian to FRR; a documentation address is kept as sent (no zebra checks it).
        NextHopV4 = IPAddress.Parse("203.0.113.81"),
    };
}
