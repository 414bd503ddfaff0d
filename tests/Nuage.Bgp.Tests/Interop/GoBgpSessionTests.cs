using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Bgp.Sessions;
using Nuage.Bgp.Wire;

namespace Nuage.Bgp.Tests.Interop;

/// <summary>Nuage's speaker against a real GoBGP on loopback addresses of the test's own: what GoBGP receives, read back with <c>gobgp global rib -j</c>.</summary>
public sealed class GoBgpSessionTests
{
    private static readonly IPAddress GoBgpAddress = IPAddress.Parse("127.0.80.2");
    private static readonly IPAddress NuageAddress = IPAddress.Parse("127.0.80.1");

    [Fact]
    public async Task Announcements_ReachGoBgp_WithPathCommunitiesAndMed_AndAreWithdrawnWhenRemoved()
    {
        await using var gobgp = await GoBgp.StartAsync(GoBgpAddress, NuageAddress, localAs: 65000, neighborAs: 4_200_000_001);
        await using var session = new BgpSession(Peer(gobgp) with { Med = 50, Prepend = 1 }, TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements(
        [
            new Announcement(IPNetwork.Parse("192.0.2.0/24")) { Communities = [(65001u << 16) | 42], LargeCommunities = [new LargeCommunity(4_200_000_001, 7, 9)] },
            new Announcement(IPNetwork.Parse("198.51.100.10/32")),
        ]);

        session.Start();
        var rib = await gobgp.WaitForRibAsync("ipv4", r => r.Contains("198.51.100.10/32", StringComparison.Ordinal) && r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        Assert.True(session.State == SessionState.Established && rib.Contains("192.0.2.0/24", StringComparison.Ordinal), $"{session.State}: {session.LastError}\n{await gobgp.NeighborAsync()}\n{rib}\n{gobgp.Log}");
        var route = Attributes(rib, "192.0.2.0/24");
        Assert.Equal([4_200_000_001, 4_200_000_001], AsPath(route));
        Assert.Equal("203.0.113.80", route[3].GetProperty("nexthop").GetString());
        Assert.Equal(50u, route[4].GetProperty("metric").GetUInt32());
        Assert.Equal([(65001u << 16) | 42], route[8].GetProperty("communities").EnumerateArray().Select(c => c.GetUInt32()));
        var large = Assert.Single(route[32].GetProperty("value").EnumerateArray());
        Assert.Equal((4_200_000_001u, 7u, 9u), (large.GetProperty("ASN").GetUInt32(), large.GetProperty("LocalData1").GetUInt32(), large.GetProperty("LocalData2").GetUInt32()));

        session.SetAnnouncements([new Announcement(IPNetwork.Parse("192.0.2.0/24"))]);
        rib = await gobgp.WaitForRibAsync("ipv4", r => !r.Contains("198.51.100.10/32", StringComparison.Ordinal) && !Attributes(r, "192.0.2.0/24").ContainsKey(8));

        Assert.DoesNotContain("198.51.100.10/32", rib, StringComparison.Ordinal);
        Assert.False(Attributes(rib, "192.0.2.0/24").ContainsKey(8), rib); // the changed route was sent again without its communities
    }

    [Fact]
    public async Task Ipv6Prefix_TravelsInMultiprotocolAttributes_AndIsWithdrawn()
    {
        await using var gobgp = await GoBgp.StartAsync(GoBgpAddress, NuageAddress, localAs: 65000, neighborAs: 65001);
        var peer = Peer(gobgp, 65001) with
        {
            Families = [AddressFamily.IPv4Unicast, AddressFamily.IPv6Unicast],
            NextHopV6 = IPAddress.Parse("2001:db8:80::1"),
        };
        await using var session = new BgpSession(peer, TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements([new Announcement(IPNetwork.Parse("2001:db8:42::/48")) { Communities = [(65001u << 16) | 6] }]);

        session.Start();
        var rib = await gobgp.WaitForRibAsync("ipv6", r => r.Contains("2001:db8:42::/48", StringComparison.Ordinal));

        Assert.True(rib.Contains("2001:db8:42::/48", StringComparison.Ordinal), $"{session.State}: {session.LastError}\n{rib}\n{gobgp.Log}");
        var route = Attributes(rib, "2001:db8:42::/48");
        Assert.Equal([65001u], AsPath(route));
        Assert.Equal("2001:db8:80::1", route[14].GetProperty("nexthop").GetString()); // MP_REACH_NLRI
        Assert.Equal([(65001u << 16) | 6], route[8].GetProperty("communities").EnumerateArray().Select(c => c.GetUInt32()));

        session.SetAnnouncements([]);
        rib = await gobgp.WaitForRibAsync("ipv6", r => !r.Contains("2001:db8:42::/48", StringComparison.Ordinal));
        Assert.DoesNotContain("2001:db8:42::/48", rib, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlannedShutdown_SendsGracefulShutdownCommunityFirst_ThenWithdraws()
    {
        await using var gobgp = await GoBgp.StartAsync(GoBgpAddress, NuageAddress, localAs: 65000, neighborAs: 65001);
        var session = new BgpSession(Peer(gobgp, 65001), TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements([new Announcement(IPNetwork.Parse("192.0.2.0/24"))]);
        session.Start();
        await gobgp.WaitForRibAsync("ipv4", r => r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        var shutdown = session.ShutdownAsync(TimeSpan.FromSeconds(3));
        var marked = await gobgp.WaitForRibAsync("ipv4", r => r.Contains("192.0.2.0/24", StringComparison.Ordinal) && Attributes(r, "192.0.2.0/24").ContainsKey(8));
        await shutdown;
        var after = await gobgp.WaitForRibAsync("ipv4", r => !r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        Assert.Equal([Communities.GracefulShutdown], Attributes(marked, "192.0.2.0/24")[8].GetProperty("communities").EnumerateArray().Select(c => c.GetUInt32()));
        Assert.DoesNotContain("192.0.2.0/24", after, StringComparison.Ordinal);
    }

    /// <summary>The path attributes of the best route for <paramref name="prefix"/>, by attribute type code.</summary>
    private static Dictionary<int, JsonElement> Attributes(string rib, string prefix)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(rib) ? "{}" : rib);
        if (!document.RootElement.TryGetProperty(prefix, out var paths))
        {
            return [];
        }

        return paths[0].GetProperty("attrs").EnumerateArray().ToDictionary(a => a.GetProperty("type").GetInt32(), a => a.Clone());
    }

    private static uint[] AsPath(Dictionary<int, JsonElement> attributes) =>
        [.. attributes[2].GetProperty("as_paths").EnumerateArray().SelectMany(s => s.GetProperty("asns").EnumerateArray()).Select(a => a.GetUInt32())];

    private static PeerConfig Peer(GoBgp gobgp, uint localAs = 4_200_000_001) => new()
    {
        Address = gobgp.Address,
        Port = gobgp.Port,
        RemoteAs = 65000,
        LocalAs = localAs,
        RouterId = NuageAddress,
        LocalAddress = NuageAddress,
        HoldTime = 9,

        // GoBGP treats an UPDATE whose next hop is a loopback address as a withdrawal ("invalid nexthop address"), so the
        // routes point at a documentation address instead (GoBGP without zebra does not check it is reachable).
        NextHopV4 = IPAddress.Parse("203.0.113.80"),
    };
}
