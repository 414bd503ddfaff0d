using System.Text;
using Nuage.Router.Acme;

namespace Nuage.Router.Tests.Acme;

/// <summary>The ClientHello reader that decides who gets a TLS-ALPN-01 challenge certificate: exact on good input, never throwing on bad.</summary>
public sealed class TlsClientHelloTests
{
    private static readonly byte[] AcmeTls = Encoding.ASCII.GetBytes("acme-tls/1");

    [Fact]
    public void Hello_OfferingAcmeTls_IsRecognised_AndOneOfferingOnlyHttp_IsNot()
    {
        Assert.True(TlsClientHello.OffersProtocol(Hello("acme-tls/1"), AcmeTls));
        Assert.True(TlsClientHello.OffersProtocol(Hello("h2", "acme-tls/1"), AcmeTls));
        Assert.False(TlsClientHello.OffersProtocol(Hello("h2", "http/1.1"), AcmeTls));
        Assert.False(TlsClientHello.OffersProtocol(Hello("acme-tls/10"), AcmeTls));
        Assert.False(TlsClientHello.OffersProtocol(Hello(), AcmeTls));
    }

    [Fact]
    public void Hello_TruncatedAnywhere_OrNotAClientHello_IsNeverRecognised_AndNeverThrows()
    {
        var hello = Hello("acme-tls/1");
        for (var length = 0; length < hello.Length; length++)
        {
            Assert.False(TlsClientHello.OffersProtocol(hello.AsSpan(0, length), AcmeTls), $"prefix of {length} bytes");
        }

        var serverHello = (byte[])hello.Clone();
        serverHello[0] = 2;
        Assert.False(TlsClientHello.OffersProtocol(serverHello, AcmeTls));
    }

    /// <summary>A ClientHello handshake message (what follows the 5-byte record header) with an SNI extension and, when given, ALPN.</summary>
    private static byte[] Hello(params string[] protocols)
    {
        var body = new List<byte> { 0x03, 0x03 };
        body.AddRange(new byte[32]); // random
        body.Add(0); // no session id
        body.AddRange([0x00, 0x02, 0x13, 0x01]); // one cipher suite
        body.AddRange([0x01, 0x00]); // null compression
        var extensions = new List<byte>();
        var host = Encoding.ASCII.GetBytes("shop.example.com");
        extensions.AddRange(Extension(0, [.. U16(host.Length + 3), 0, .. U16(host.Length), .. host]));
        if (protocols.Length > 0)
        {
            var list = protocols.SelectMany(p => new[] { (byte)p.Length }.Concat(Encoding.ASCII.GetBytes(p))).ToArray();
            extensions.AddRange(Extension(16, [.. U16(list.Length), .. list]));
        }

        body.AddRange(U16(extensions.Count));
        body.AddRange(extensions);
        return [1, 0, (byte)(body.Count >> 8), (byte)body.Count, .. body];
    }

    private static byte[] Extension(int type, byte[] data) => [.. U16(type), .. U16(data.Length), .. data];

    private static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];
}
