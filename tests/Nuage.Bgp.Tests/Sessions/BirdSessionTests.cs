using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Bgp.Sessions;
using Nuage.Bgp.Wire;
using Nuage.Tests.Shared;

namespace Nuage.Bgp.Tests.Sessions;

/// <summary>Nuage's speaker against a real BIRD 2 on loopback addresses of the test's own: what BIRD receives, read back with birdc.</summary>
public sealed class BirdSessionTests
{
    private static readonly IPAddress BirdAddress = IPAddress.Parse("127.0.79.2");
    private static readonly IPAddress NuageAddress = IPAddress.Parse("127.0.79.1");

    [Fact]
    public async Task Announcements_ReachBird_WithPathCommunitiesAndMed_AndAreWithdrawnWhenRemoved()
    {
        await using var bird = await BirdPeer.StartAsync(BirdAddress, NuageAddress, localAs: 65000, neighborAs: 4_200_000_001);
        await using var session = new BgpSession(Peer(bird) with { Med = 50, Prepend = 1 }, TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements(
        [
            new Announcement(IPNetwork.Parse("192.0.2.0/24")) { Communities = [(65001u << 16) | 42], LargeCommunities = [new LargeCommunity(4_200_000_001, 7, 9)] },
            new Announcement(IPNetwork.Parse("198.51.100.10/32")),
        ]);

        session.Start();
        var routes = await bird.WaitForRoutesAsync(r => r.Contains("198.51.100.10/32", StringComparison.Ordinal) && r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        Assert.True(session.State == SessionState.Established, $"{session.State}: {session.LastError}\n{await bird.ProtocolAsync()}");
        Assert.Contains("BGP.as_path: 4200000001 4200000001", routes, StringComparison.Ordinal);
        Assert.Contains("BGP.next_hop: 127.0.79.1", routes, StringComparison.Ordinal);
        Assert.Contains("BGP.med: 50", routes, StringComparison.Ordinal);
        Assert.Contains("BGP.community: (65001,42)", routes, StringComparison.Ordinal);
        Assert.Contains("BGP.large_community: (4200000001, 7, 9)", routes, StringComparison.Ordinal);

        session.SetAnnouncements([new Announcement(IPNetwork.Parse("192.0.2.0/24"))]);
        routes = await bird.WaitForRoutesAsync(r => !r.Contains("198.51.100.10/32", StringComparison.Ordinal) && !r.Contains("(65001,42)", StringComparison.Ordinal));

        Assert.DoesNotContain("198.51.100.10/32", routes, StringComparison.Ordinal);
        Assert.Contains("192.0.2.0/24", routes, StringComparison.Ordinal);
        Assert.DoesNotContain("(65001,42)", routes, StringComparison.Ordinal); // the changed route was sent again without its community
    }

    [Fact]
    public async Task Ipv6Prefix_TravelsInMultiprotocolAttributes_OverTheIpv4Session()
    {
        await using var bird = await BirdPeer.StartAsync(BirdAddress, NuageAddress, localAs: 65000, neighborAs: 65001);
        var peer = Peer(bird, 65001) with
        {
            Families = [AddressFamily.IPv4Unicast, AddressFamily.IPv6Unicast],
            NextHopV6 = IPAddress.Parse("2001:db8:79::1"), // documentation address: BIRD resolves it recursively (multihop)
        };
        await using var session = new BgpSession(peer, TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements([new Announcement(IPNetwork.Parse("2001:db8:42::/48"))]);

        session.Start();
        var routes = await bird.WaitForRoutesAsync(r => r.Contains("2001:db8:42::/48", StringComparison.Ordinal));

        Assert.True(routes.Contains("2001:db8:42::/48", StringComparison.Ordinal), $"{session.State}: {session.LastError}\n{routes}\n{await bird.ProtocolAsync()}");
        Assert.Contains("BGP.as_path: 65001", routes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlannedShutdown_SendsGracefulShutdownCommunityFirst_ThenWithdrawsAndCeases()
    {
        await using var bird = await BirdPeer.StartAsync(BirdAddress, NuageAddress, localAs: 65000, neighborAs: 65001);
        var session = new BgpSession(Peer(bird, 65001), TimeProvider.System, NullLogger.Instance);
        session.SetAnnouncements([new Announcement(IPNetwork.Parse("192.0.2.0/24"))]);
        session.Start();
        await bird.WaitForRoutesAsync(r => r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        var shutdown = session.ShutdownAsync(TimeSpan.FromSeconds(3));
        var marked = await bird.WaitForRoutesAsync(r => r.Contains("(65535,0)", StringComparison.Ordinal));
        await shutdown;
        var after = await bird.WaitForRoutesAsync(r => !r.Contains("192.0.2.0/24", StringComparison.Ordinal));

        Assert.Contains("BGP.community: (65535,0)", marked, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.0/24", after, StringComparison.Ordinal);
        Assert.Contains("Administrative shutdown", await bird.ProtocolAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WrongRemoteAs_IsRefusedWithBadPeerAs_AndTheReasonIsKept()
    {
        await using var bird = await BirdPeer.StartAsync(BirdAddress, NuageAddress, localAs: 65000, neighborAs: 65001);
        await using var session = new BgpSession(Peer(bird, 65001) with { RemoteAs = 65099 }, TimeProvider.System, NullLogger.Instance);

        session.Start();
        // Until BIRD listens the error is "connection refused"; then BIRD's OPEN names its AS.
        for (var i = 0; i < 600 && session.LastError?.Contains("AS65000", StringComparison.Ordinal) != true; i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains("AS65000", session.LastError, StringComparison.Ordinal);
        Assert.NotEqual(SessionState.Established, session.State);
    }

    private static PeerConfig Peer(BirdPeer bird, uint localAs = 4_200_000_001) => new()
    {
        Address = bird.Address,
        Port = bird.Port,
        RemoteAs = 65000,
        LocalAs = localAs,
        RouterId = NuageAddress,
        LocalAddress = NuageAddress,
        HoldTime = 9,
    };
}
