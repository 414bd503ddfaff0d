using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Domains;

/// <summary>
/// Custom domains over HTTPS on a real server started with <c>--https 127.0.0.1:0</c>: certificates chosen by SNI,
/// checked on the way in, keys sealed at rest, restored after a restart. Certificates are self-signed, made by the test.
/// </summary>
public sealed class HttpsDomainTests
{
    private const string Domain = "secure.example.test";

    [Fact]
    public async Task DomainWithCertificate_ServedOverTlsBySni_KeyNeverStoredInPlaintext_AndStillServedAfterRestart()
    {
        // Given a deployed app on a server with an HTTPS listener, and a certificate for the domain
        await using var server = await RunningServer.StartAsync(o => o with { Https = "127.0.0.1:0" });
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "web", "-t", "node")).ExitCode);
        await Deployer.DeployOkAsync(server, "web", Deployer.Example("node"));
        var certificate = SelfSigned(Domain, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var (certFile, keyFile) = await WriteAsync(server, "good", certificate);

        // When the domain is added with the certificate
        var added = await cli.RunAsync("domain", "add", Domain, "--cert", certFile, "--key", keyFile, "--app", "web");

        // Then a TLS request with SNI = the domain gets that certificate and the app's answer
        Assert.True(added.ExitCode == 0, added.ToString());
        var (status, body) = await GetOverTlsAsync(server, Domain, certificate.Thumbprint);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("runtime=node", body, StringComparison.Ordinal);
        var listed = JsonDocument.Parse((await cli.RunAsync("domain", "list", "--app", "web", "--json")).Output).RootElement[0];
        Assert.True(listed.GetProperty("https").GetBoolean());
        Assert.Equal(certificate.Thumbprint, listed.GetProperty("certificateThumbprint").GetString());

        // And the database holds the certificate but never the private key in plaintext
        var stored = ReadDatabaseFiles(server);
        Assert.Contains(PemBodyLine(certificate.CertificatePem), stored, StringComparison.Ordinal);
        Assert.DoesNotContain(PemBodyLine(certificate.KeyPem), stored, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", stored, StringComparison.Ordinal);

        // When the server restarts on the same data directory, the domain is still served over HTTPS
        await server.RestartAsync();
        var (after, afterBody) = await GetOverTlsAsync(server, Domain, certificate.Thumbprint);
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Contains("runtime=node", afterBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullChainPem_IsServedWithItsIntermediate()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Https = "127.0.0.1:0" });
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "web", "-t", "node")).ExitCode);
        await Deployer.DeployOkAsync(server, "web", Deployer.Example("node"));
        var (leafPem, keyPem, leafThumbprint, intermediateThumbprint) = IssuedThroughAnIntermediate("chain.example.test");
        var cert = Path.Combine(server.Scratch, "fullchain.crt");
        var key = Path.Combine(server.Scratch, "fullchain.key");
        await File.WriteAllTextAsync(cert, leafPem);
        await File.WriteAllTextAsync(key, keyPem);

        var added = await cli.RunAsync("domain", "add", "chain.example.test", "--cert", cert, "--key", key, "--app", "web");

        Assert.True(added.ExitCode == 0, added.ToString());
        var (status, body) = await GetOverTlsAsync(server, "chain.example.test", leafThumbprint, intermediateThumbprint);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("runtime=node", body, StringComparison.Ordinal);
    }

    /// <summary>root CA → intermediate CA → leaf; returns the full-chain PEM (leaf then intermediate) and the leaf's key.</summary>
    private static (string FullChainPem, string KeyPem, string LeafThumbprint, string IntermediateThumbprint) IssuedThroughAnIntermediate(string dnsName)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Nuage Test Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-2), now.AddDays(60));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=Nuage Test Intermediate", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        using var intermediatePublic = intermediateRequest.Create(root, now.AddDays(-1), now.AddDays(50), [1, 2, 3, 4]);
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={dnsName}", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        leafRequest.CertificateExtensions.Add(names.Build());
        using var leaf = leafRequest.Create(intermediate, now.AddDays(-1), now.AddDays(30), [5, 6, 7, 8]);
        return (leaf.ExportCertificatePem() + "\n" + intermediatePublic.ExportCertificatePem() + "\n", leafKey.ExportPkcs8PrivateKeyPem(), leaf.Thumbprint, intermediatePublic.Thumbprint);
    }

    [Fact]
    public async Task BadCertificateInputs_AreRefusedNamingTheProblem_AndNothingIsAdded()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Https = "127.0.0.1:0" });
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "web", "-t", "node")).ExitCode);
        var now = DateTimeOffset.UtcNow;
        var good = SelfSigned(Domain, now.AddDays(-1), now.AddDays(30));
        var other = SelfSigned(Domain, now.AddDays(-1), now.AddDays(30));
        var expired = SelfSigned(Domain, now.AddDays(-30), now.AddDays(-1));
        var wrongName = SelfSigned("elsewhere.example.test", now.AddDays(-1), now.AddDays(30));
        var (goodCert, _) = await WriteAsync(server, "good", good);
        var (_, otherKey) = await WriteAsync(server, "other", other);
        var (expiredCert, expiredKey) = await WriteAsync(server, "expired", expired);
        var (wrongCert, wrongKey) = await WriteAsync(server, "wrong", wrongName);
        var garbage = Path.Combine(server.Scratch, "garbage.pem");
        await File.WriteAllTextAsync(garbage, "not a certificate");

        var mismatch = await cli.RunAsync("domain", "add", Domain, "--cert", goodCert, "--key", otherKey, "--app", "web");
        var old = await cli.RunAsync("domain", "add", Domain, "--cert", expiredCert, "--key", expiredKey, "--app", "web");
        var notCovered = await cli.RunAsync("domain", "add", Domain, "--cert", wrongCert, "--key", wrongKey, "--app", "web");
        var unreadable = await cli.RunAsync("domain", "add", Domain, "--cert", garbage, "--key", otherKey, "--app", "web");
        var certOnly = await cli.RunAsync("domain", "add", Domain, "--cert", goodCert, "--app", "web");

        Assert.True(mismatch.ExitCode == 2, mismatch.ToString());
        Assert.Contains("does not match the certificate", mismatch.Error, StringComparison.Ordinal);
        Assert.Equal(2, old.ExitCode);
        Assert.Contains("expired on", old.Error, StringComparison.Ordinal);
        Assert.Equal(2, notCovered.ExitCode);
        Assert.Contains($"does not cover {Domain}", notCovered.Error, StringComparison.Ordinal);
        Assert.Contains("elsewhere.example.test", notCovered.Error, StringComparison.Ordinal);
        Assert.Equal(2, unreadable.ExitCode);
        Assert.Contains("not a readable PEM certificate", unreadable.Error, StringComparison.Ordinal);
        Assert.Equal(2, certOnly.ExitCode);
        Assert.Contains("--key", certOnly.Error, StringComparison.Ordinal);
        Assert.Equal("[]", (await cli.RunAsync("domain", "list", "--app", "web", "--json")).Output.Trim());
        Assert.Equal(HttpStatusCode.NotFound, (await DomainTests.GetAsync(server, Domain)).Status);
    }

    internal sealed record TestCertificate(string CertificatePem, string KeyPem, string Thumbprint);

    internal static TestCertificate SelfSigned(string dnsName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new TestCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), certificate.Thumbprint);
    }

    private static async Task<(string Cert, string Key)> WriteAsync(RunningServer server, string label, TestCertificate certificate)
    {
        var cert = Path.Combine(server.Scratch, label + ".crt");
        var key = Path.Combine(server.Scratch, label + ".key");
        await File.WriteAllTextAsync(cert, certificate.CertificatePem);
        await File.WriteAllTextAsync(key, certificate.KeyPem);
        return (cert, key);
    }

    /// <summary>GET https://DOMAIN/ connected to the router's HTTPS port on 127.0.0.1; only the expected certificate is accepted.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> GetOverTlsAsync(RunningServer server, string domain, string thumbprint, string? intermediate = null)
    {
        var port = server.Server.RouterHttpsAddress!.Port;
        string? presented = null;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    presented = certificate?.GetCertHashString();
                    // The certificates the server sent besides the leaf are handed to chain building as extra certificates.
                    var sentIntermediate = intermediate is null
                        || (chain?.ChainPolicy.ExtraStore.Any(c => c.Thumbprint == intermediate) ?? false)
                        || (chain?.ChainElements.Any(e => e.Certificate.Thumbprint == intermediate) ?? false);
                    return presented == thumbprint && sentIntermediate;
                },
            },
        };
        using var http = new HttpClient(handler);
        try
        {
            using var response = await http.GetAsync(new Uri($"https://{domain}:{port}/"));
            return (response.StatusCode, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"TLS request failed; the router presented {presented ?? "no certificate"}, expected {thumbprint}", e);
        }
    }

    internal static string ReadDatabaseFiles(RunningServer server)
    {
        var database = server.Server.Paths.Database;
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(database)!, Path.GetFileName(database) + "*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }

    private static string PemBodyLine(string pem) => pem.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1];
}
