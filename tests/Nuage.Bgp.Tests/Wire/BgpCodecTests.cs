using System.Net;
using Nuage.Bgp.Wire;

namespace Nuage.Bgp.Tests.Wire;

public sealed class BgpCodecTests
{
    [Fact]
    public void Open_WithA4OctetAs_CarriesAsTransInTheShortField_AndReadsBackTheRealAs()
    {
        var open = new OpenMessage(4_200_000_000, 90, IPAddress.Parse("192.0.2.1"), [Capability.Multiprotocol(AddressFamily.IPv6Unicast), Capability.FourOctetAs(4_200_000_000)]);

        var bytes = BgpCodec.Encode(open);
        var read = Assert.IsType<OpenMessage>(BgpCodec.Decode(bytes));

        Assert.Equal(BgpCodec.AsTrans, (ushort)((bytes[20] << 8) | bytes[21]));
        Assert.Equal(4_200_000_000u, read.As);
        Assert.Equal(90, read.HoldTime);
        Assert.Equal(AddressFamily.IPv6Unicast, read.Capabilities[0].Family);
    }

    [Fact]
    public void GracefulRestartCapability_IsLaidOutAsRfc4724Says()
    {
        var capability = Capability.GracefulRestart(30, restarted: true, [AddressFamily.IPv4Unicast, AddressFamily.IPv6Unicast], forwarding: true);

        // Restart State bit + 12-bit restart time, then AFI (2) SAFI (1) flags (1, forwarding preserved) per family.
        Assert.Equal(64, capability.Code);
        Assert.Equal(new byte[] { 0x80, 30, 0, 1, 1, 0x80, 0, 2, 1, 0x80 }, capability.Value);
        Assert.Equal(new byte[] { 0x0F, 0xFF }, Capability.GracefulRestart(5000, restarted: false, [], forwarding: false).Value);
    }

    [Fact]
    public void EndOfRib_IsAnEmptyUpdateForIpv4_AndAnEmptyMpUnreachForIpv6()
    {
        var v4 = BgpCodec.Encode(new UpdateMessage([], null, []));
        var v6 = BgpCodec.Encode(new UpdateMessage([], new PathAttributes { MpUnreach = new MpUnreach(AddressFamily.IPv6Unicast, []) }, []));

        Assert.Equal(23, v4.Length); // header 19 + withdrawn length 2 + attributes length 2, nothing else
        Assert.Equal(new byte[] { 0x80, 15, 3, 0, 2, 1 }, v6[^6..]); // optional MP_UNREACH_NLRI, length 3: AFI 2, SAFI 1, no NLRI
    }

    [Fact]
    public void Update_V4AndV6_WithCommunities_RoundTrips()
    {
        var attributes = new PathAttributes
        {
            AsPath = [65001, 65001],
            NextHop = IPAddress.Parse("198.51.100.1"),
            Med = 10,
            Communities = [(65001u << 16) | 42, Communities.GracefulShutdown],
            LargeCommunities = [new LargeCommunity(4_200_000_000, 1, 2)],
            MpReach = new MpReach(AddressFamily.IPv6Unicast, IPAddress.Parse("2001:db8::1"), [IPNetwork.Parse("2001:db8:10::/48")]),
        };
        var update = new UpdateMessage([IPNetwork.Parse("203.0.113.0/25")], attributes, [IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.0.2.7/32")]);

        var read = Assert.IsType<UpdateMessage>(BgpCodec.Decode(BgpCodec.Encode(update)));

        Assert.Null(read.TreatAsWithdraw);
        Assert.Equal(update.Withdrawn, read.Withdrawn);
        Assert.Equal(update.Nlri, read.Nlri);
        Assert.Equal(attributes.AsPath, read.Attributes!.AsPath);
        Assert.Equal(attributes.NextHop, read.Attributes.NextHop);
        Assert.Equal(10u, read.Attributes.Med);
        Assert.Equal(attributes.Communities, read.Attributes.Communities);
        Assert.Equal(attributes.LargeCommunities, read.Attributes.LargeCommunities);
        Assert.Equal(attributes.MpReach.NextHop, read.Attributes.MpReach!.NextHop);
        Assert.Equal(attributes.MpReach.Nlri, read.Attributes.MpReach.Nlri);
    }

    [Fact]
    public void Prefix_WithStrayHostBits_IsReadMasked()
    {
        // 10.1.2.3/16 on the wire: only the first two bytes are sent, so the host bits cannot even travel.
        var prefixes = BgpCodec.ReadPrefixes([20, 10, 1, 0xFF], AddressFamily.IPv4Unicast);

        Assert.Equal(IPNetwork.Parse("10.1.240.0/20"), Assert.Single(prefixes));
    }

    [Theory]
    [InlineData(33)]
    [InlineData(255)]
    public void Prefix_LongerThanTheFamily_IsAnInvalidNetworkField(byte bits)
    {
        var e = Assert.Throws<BgpProtocolException>(() => BgpCodec.ReadPrefixes([bits, 1, 2, 3, 4, 5], AddressFamily.IPv4Unicast));

        Assert.Equal((BgpError.UpdateMessage, BgpError.InvalidNetworkField), (e.Code, e.Subcode));
    }

    [Fact]
    public void Header_WithABrokenMarker_IsConnectionNotSynchronized()
    {
        var bytes = BgpCodec.Encode(new KeepaliveMessage());
        bytes[3] = 0;

        var e = Assert.Throws<BgpProtocolException>(() => BgpCodec.ReadHeader(bytes));

        Assert.Equal((BgpError.MessageHeader, BgpError.ConnectionNotSynchronized), (e.Code, e.Subcode));
    }

    [Theory]
    [InlineData(4, 20)] // a KEEPALIVE is exactly 19 bytes
    [InlineData(1, 28)] // an OPEN is at least 29
    [InlineData(2, 5000)] // nothing is over 4096
    public void Header_WithAnImpossibleLength_IsBadMessageLength_NamingTheLength(byte type, int length)
    {
        var header = new byte[19];
        header.AsSpan(0, 16).Fill(0xFF);
        header[16] = (byte)(length >> 8);
        header[17] = (byte)length;
        header[18] = type;

        var e = Assert.Throws<BgpProtocolException>(() => BgpCodec.ReadHeader(header));

        Assert.Equal((BgpError.MessageHeader, BgpError.BadMessageLength), (e.Code, e.Subcode));
        Assert.Equal(header[16..18], e.NotificationData);
    }

    [Fact]
    public void Update_WithAMalformedCommunity_IsTreatedAsWithdraw_NotASessionReset()
    {
        byte[] attributes =
        [
            0x40, 1, 1, 0, // ORIGIN IGP
            0x40, 2, 6, 2, 1, 0, 0, 0xFD, 0xE9, // AS_PATH 65001
            0x40, 3, 4, 127, 0, 0, 1, // NEXT_HOP
            0xC0, 8, 3, 0, 0, 1, // COMMUNITIES of 3 bytes: not a multiple of 4
        ];
        byte[] nlri = [24, 192, 0, 2];

        var read = Assert.IsType<UpdateMessage>(BgpCodec.Decode(Update(attributes, nlri)));

        Assert.Contains("COMMUNITIES", read.TreatAsWithdraw, StringComparison.Ordinal);
        Assert.Empty(read.Nlri);
        Assert.Equal([IPNetwork.Parse("192.0.2.0/24")], read.Withdrawn);
    }

    [Fact]
    public void Update_WithAnAttributeRunningPastTheList_IsTreatedAsWithdraw()
    {
        byte[] attributes = [0x40, 1, 1, 0, 0x40, 2, 200, 2, 1];
        byte[] nlri = [24, 192, 0, 2];

        var read = Assert.IsType<UpdateMessage>(BgpCodec.Decode(Update(attributes, nlri)));

        Assert.NotNull(read.TreatAsWithdraw);
        Assert.Equal([IPNetwork.Parse("192.0.2.0/24")], read.Withdrawn);
    }

    [Fact]
    public void Update_WhoseAttributeListOverrunsTheMessage_IsAMalformedAttributeList()
    {
        var bytes = Update([0x40, 1, 1, 0], []);
        bytes[22] = 50; // the attribute list claims more bytes than the message holds

        var e = Assert.Throws<BgpProtocolException>(() => BgpCodec.Decode(bytes));

        Assert.Equal((BgpError.UpdateMessage, BgpError.MalformedAttributeList), (e.Code, e.Subcode));
    }

    private static byte[] Update(byte[] attributes, byte[] nlri)
    {
        var length = 19 + 2 + 2 + attributes.Length + nlri.Length;
        byte[] header = [.. Enumerable.Repeat((byte)0xFF, 16), (byte)(length >> 8), (byte)length, 2];
        return [.. header, 0, 0, (byte)(attributes.Length >> 8), (byte)attributes.Length, .. attributes, .. nlri];
    }

    [Fact]
    public void Notification_IsDescribedAsAnOperatorReadsIt()
    {
        var read = Assert.IsType<NotificationMessage>(BgpCodec.Decode(BgpCodec.Encode(new NotificationMessage(6, 2, []))));

        Assert.Equal("cease: administrative shutdown", read.Describe());
        Assert.Equal("hold timer expired", BgpError.Describe(4, 0));
    }

}
