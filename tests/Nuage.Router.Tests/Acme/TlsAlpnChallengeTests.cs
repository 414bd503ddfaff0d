using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Nuage.Router.Acme;
using Nuage.Router.Standalone;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests.Acme;

/// <summary>TLS-ALPN-01 (RFC 8737) on a real router HTTPS listener, with real TLS clients offering <c>acme-tls/1</c> or HTTP.</summary>
public sealed class TlsAlpnChallengeTests
{
    private const string Domain = "shop.example.com";
    private const string KeyAuthorization = "token-abc.thumbprint-xyz";

    [Fact]
    public async Task Challenge_ServedOnlyToAcmeTlsClients_WithTheAcmeIdentifierOfTheKeyAuthorization_UntilRemoved()
    {
        // Given a router serving a regular certificate for the domain, and a TLS-ALPN-01 answer published for it
        await using var backend = await TestBackend.StartAsync("shop");
        await using var router = new NuageRouter(new RouterOptions { HttpEndpoints = [], HttpsEndpoints = ["127.0.0.1:0"] }, new MemoryLogSink());
        using var regular = HttpsTests.SelfSigned(Domain);
        router.SetCertificate(Domain, regular);
        await router.StartAsync(CancellationToken.None);
        router.Publish(TestRouter.Route("shop", backend) with { CustomDomains = [Domain] });
        router.SetAcmeChallenge(Domain, "token-abc", KeyAuthorization, AcmeChallengeTypes.TlsAlpn01);
        var port = router.HttpsAddresses[0].Port;

        // When the CA's handshake offers only acme-tls/1 with the domain as SNI
        var (challenge, protocol) = await HandshakeAsync(port, Domain, [AcmeTlsAlpn.Protocol]);

        // Then it negotiates acme-tls/1 and gets a certificate for exactly the domain with the critical acmeIdentifier
        // extension holding SHA-256 of the key authorization, and the router sends nothing more and closes
        Assert.Equal(AcmeTlsAlpn.Protocol, protocol);
        Assert.NotEqual(regular.Thumbprint, challenge.Thumbprint);
        Assert.Equal(Domain, challenge.GetNameInfo(X509NameType.DnsName, false));
        var extension = Assert.Single(challenge.Extensions, e => e.Oid?.Value == "1.3.6.1.5.5.7.1.31");
        Assert.True(extension.Critical);
        Assert.Equal([0x04, 0x20, .. SHA256.HashData(Encoding.UTF8.GetBytes(KeyAuthorization))], extension.RawData);

        // And an ordinary client still gets the regular certificate and the app meanwhile
        var (served, httpProtocol) = await HandshakeAsync(port, Domain, [SslApplicationProtocol.Http11], request: $"GET / HTTP/1.1\r\nHost: {Domain}\r\nConnection: close\r\n\r\n");
        Assert.Equal(regular.Thumbprint, served.Thumbprint);
        Assert.Equal(SslApplicationProtocol.Http11, httpProtocol);

        // And a router process receives the answer in its snapshot and answers the same way
        var snapshot = router.Snapshot(new SnapshotGeneration(1, 1));
        var sent = Assert.Single(snapshot.Challenges);
        Assert.Equal(AcmeChallengeTypes.TlsAlpn01, sent.Type);
        await using var replica = new NuageRouter(new RouterOptions { HttpEndpoints = [], HttpsEndpoints = ["127.0.0.1:0"] }, new MemoryLogSink());
        await replica.StartAsync(CancellationToken.None);
        Assert.True(replica.Apply(snapshot));
        var (replicated, _) = await HandshakeAsync(replica.HttpsAddresses[0].Port, Domain, [AcmeTlsAlpn.Protocol]);
        Assert.Equal(extension.RawData, replicated.Extensions.Single(e => e.Oid?.Value == AcmeTlsAlpn.ExtensionOid).RawData);

        // When the answer is withdrawn, an acme-tls/1 handshake is refused (never the regular certificate)
        router.RemoveAcmeChallenge(Domain, "token-abc");
        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(port, Domain, [AcmeTlsAlpn.Protocol]));
    }

    [Fact]
    public async Task ChallengeForAnotherName_AcmeTlsClient_IsRefused()
    {
        await using var router = new NuageRouter(new RouterOptions { HttpEndpoints = [], HttpsEndpoints = ["127.0.0.1:0"] }, new MemoryLogSink());
        await router.StartAsync(CancellationToken.None);
        router.SetAcmeChallenge(Domain, "token-abc", KeyAuthorization, AcmeChallengeTypes.TlsAlpn01);

        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(router.HttpsAddresses[0].Port, "other.example.com", [AcmeTlsAlpn.Protocol]));
    }

    [Fact]
    public async Task UnknownChallengeType_IsRefusedNamingTheAcceptedTypes()
    {
        await using var router = new NuageRouter(new RouterOptions { HttpEndpoints = [], HttpsEndpoints = ["127.0.0.1:0"] }, new MemoryLogSink());
        var error = Assert.ThrowsAny<Exception>(() => router.SetAcmeChallenge(Domain, "t", "t.k", "dns-01"));
        Assert.Contains("http-01, tls-alpn-01", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A TLS handshake (any certificate accepted: the test inspects it), then optionally one request; reads until the router
    /// closes (a router that kept a challenge connection open fails the test at the 10 s bound).
    /// </summary>
    private static async Task<(X509Certificate2 Certificate, SslApplicationProtocol Protocol)> HandshakeAsync(
        int port, string serverName, List<SslApplicationProtocol> protocols, string? request = null)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            ApplicationProtocols = protocols,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        var certificate = new X509Certificate2(tls.RemoteCertificate!);
        if (request is not null)
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes(request));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        var total = 0;
        int read;
        while ((read = await tls.ReadAsync(buffer, timeout.Token)) > 0)
        {
            total += read;
        }

        Assert.Equal(request is null, total == 0);
        return (certificate, tls.NegotiatedApplicationProtocol);
    }
}
