using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests;

public sealed class HttpsTests
{
    [Fact]
    public async Task Https_WithCertificatePerDomain_PicksItBySniAndSpeaksHttp2()
    {
        await using var backend = await TestBackend.StartAsync("secure");
        var sink = new MemoryLogSink();
        await using var router = new NuageRouter(new RouterOptions { HttpEndpoints = [], HttpsEndpoints = ["127.0.0.1:0"] }, sink);
        using var shopCert = SelfSigned("shop.example.com");
        using var blogCert = SelfSigned("blog.example.com");
        router.SetCertificate("shop.example.com", shopCert);
        router.SetCertificate("blog.example.com", blogCert);
        await router.StartAsync(CancellationToken.None);
        router.Publish(TestRouter.Route("shop", backend) with { CustomDomains = ["shop.example.com"] });
        var port = router.HttpsAddresses[0].Port;
        X509Certificate? presented = null;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                // The test trusts exactly the certificate it generated for this domain.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate;
                    return certificate?.GetCertHashString() == shopCert.GetCertHashString();
                },
            },
        };
        using var client = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20 };

        using var response = await client.GetAsync(new Uri($"https://shop.example.com:{port}/headers"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(shopCert.GetCertHashString(), presented?.GetCertHashString());
        Assert.Contains("\"X-Forwarded-Proto\":\"https\"", body, StringComparison.Ordinal);
    }

    /// <summary>A self-signed certificate for the domain with a usable private key (also used by the ACME challenge tests).</summary>
    internal static X509Certificate2 SelfSigned(string domain)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={domain}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(domain);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
