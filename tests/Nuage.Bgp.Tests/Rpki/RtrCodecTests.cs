using System.Net;
using Nuage.Bgp.Rpki;

namespace Nuage.Bgp.Tests.Rpki;

public sealed class RtrCodecTests
{
    public static TheoryData<RtrPdu> Pdus() =>
    [
        new SerialNotifyPdu(1, 7, 42),
        new SerialQueryPdu(1, 7, 42),
        new ResetQueryPdu(0),
        new CacheResponsePdu(1, 7),
        new PrefixPdu(1, true, new Vrp(IPNetwork.Parse("192.0.2.0/24"), 24, 4_200_000_001)),
        new PrefixPdu(1, false, new Vrp(IPNetwork.Parse("2001:db8::/32"), 48, 65001)),
        new EndOfDataPdu(1, 7, 42, 1, 2, 600),
        new EndOfDataPdu(0, 7, 42),
        new CacheResetPdu(1),
    ];

    [Theory]
    [MemberData(nameof(Pdus))]
    public void Pdu_RoundTrips(RtrPdu pdu) => Assert.Equal(pdu, RtrCodec.Decode(RtrCodec.Encode(pdu)));

    [Fact]
    public void ErrorReport_RoundTrips_WithTheErroneousPduAndText()
    {
        var quoted = RtrCodec.Encode(new ResetQueryPdu(2));
        var decoded = Assert.IsType<ErrorReportPdu>(RtrCodec.Decode(RtrCodec.Encode(new ErrorReportPdu(1, RtrErrorCode.UnsupportedProtocolVersion, quoted, "only 0 and 1"))));

        Assert.Equal(RtrErrorCode.UnsupportedProtocolVersion, decoded.Code);
        Assert.Equal(quoted, decoded.ErroneousPdu);
        Assert.Equal("unsupported protocol version: only 0 and 1", decoded.ToString());
    }

    [Fact]
    public void Ipv4Prefix_HasTheRfc8210Layout()
    {
        var bytes = RtrCodec.Encode(new PrefixPdu(1, true, new Vrp(IPNetwork.Parse("192.0.2.0/24"), 25, 65001)));

        Assert.Equal(new byte[] { 1, 4, 0, 0, 0, 0, 0, 20, 1, 24, 25, 0, 192, 0, 2, 0, 0, 0, 0xFD, 0xE9 }, bytes);
    }

    [Theory]
    [InlineData(new byte[] { 1, 4, 0, 0, 0, 0, 0, 20, 1, 33, 33, 0, 192, 0, 2, 0, 0, 0, 0xFD, 0xE9 }, RtrErrorCode.CorruptData, "prefix length 33")]
    [InlineData(new byte[] { 1, 4, 0, 0, 0, 0, 0, 20, 1, 24, 23, 0, 192, 0, 2, 0, 0, 0, 0xFD, 0xE9 }, RtrErrorCode.CorruptData, "max length 23")]
    [InlineData(new byte[] { 1, 4, 0, 0, 0, 0, 0, 19, 1, 24, 24, 0, 192, 0, 2, 0, 0, 0, 0xFD }, RtrErrorCode.CorruptData, "is 20 bytes long")]
    [InlineData(new byte[] { 1, 99, 0, 0, 0, 0, 0, 8 }, RtrErrorCode.UnsupportedPduType, "type 99")]
    [InlineData(new byte[] { 1, 2, 0, 0, 0, 0, 0, 4 }, RtrErrorCode.CorruptData, "length 4")]
    [InlineData(new byte[] { 1, 10, 0, 2, 0, 0, 0, 16, 0, 0, 0, 9, 0, 0, 0, 0 }, RtrErrorCode.CorruptData, "runs past the end")]
    [InlineData(new byte[] { 1, 7, 0, 1, 0, 0, 0, 12, 0, 0, 0, 1 }, RtrErrorCode.CorruptData, "is 24 bytes long")] // a version 0 End of Data in version 1
    public void MalformedPdu_IsAProtocolErrorNamingTheProblem(byte[] pdu, RtrErrorCode code, string message)
    {
        var error = Assert.Throws<RtrProtocolException>(() => RtrCodec.Decode(pdu));

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrefixWithHostBits_IsMaskedToItsLength()
    {
        var pdu = Assert.IsType<PrefixPdu>(RtrCodec.Decode([1, 4, 0, 0, 0, 0, 0, 20, 1, 24, 24, 0, 192, 0, 2, 77, 0, 0, 0xFD, 0xE9]));

        Assert.Equal(IPNetwork.Parse("192.0.2.0/24"), pdu.Vrp.Prefix);
    }
}
