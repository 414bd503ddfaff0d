using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Nuage.Router.Acme;

/// <summary>
/// The TLS-ALPN-01 answer of RFC 8737 §3: a self-signed certificate for exactly the domain, carrying the critical
/// <c>id-pe-acmeIdentifier</c> extension whose value is the SHA-256 of the key authorization. It is served only to a
/// client that offers the <c>acme-tls/1</c> ALPN protocol (see <see cref="TlsClientHello"/>), never to browsers.
/// </summary>
internal static class AcmeTlsAlpn
{
    /// <summary>The ALPN protocol the CA offers, and the only one negotiated on a challenge handshake.</summary>
    public static readonly SslApplicationProtocol Protocol = new("acme-tls/1"u8.ToArray());

    /// <summary>id-pe-acmeIdentifier (RFC 8737 §6.1).</summary>
    public const string ExtensionOid = "1.3.6.1.5.5.7.1.31";

    public static SslStreamCertificateContext Certificate(string domain, string keyAuthorization, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={domain}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509Extension(new Oid(ExtensionOid), ExtensionValue(keyAuthorization), critical: true));
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        // Through PKCS#12 so the key is usable by the TLS stack like any loaded certificate's.
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        return SslStreamCertificateContext.Create(certificate, null, offline: true);
    }

    /// <summary>The extension's DER value: <c>Authorization ::= OCTET STRING (SIZE (32))</c> holding SHA-256(key authorization).</summary>
    public static byte[] ExtensionValue(string keyAuthorization)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(keyAuthorization));
        return [0x04, (byte)hash.Length, .. hash];
    }
}
