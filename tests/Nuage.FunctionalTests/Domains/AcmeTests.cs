using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Router.Acme;
using Nuage.Server.Acme;
using Nuage.Server.Hosting;

namespace Nuage.FunctionalTests.Domains;

/// <summary>
/// Automatic HTTPS against a real ACME CA: Pebble (Debian package) on loopback, its HTTP-01 validations sent to the router's
/// HTTP port through <see cref="SwitchablePort"/> (closed until the test opens it, to inject a challenge failure).
/// </summary>
public sealed class AcmeTests
{
    private const string Domain = "shop.example.test";

    [Fact]
    public async Task DomainAdd_OnAcmeServer_ObtainsCertificateFromPebble_ServesItBySni_AndRenewsItEarly()
    {
        // Given Pebble issuing 45-second certificates and a server started with --acme-email and Pebble's directory
        using var port80 = new SwitchablePort();
        await using var pebble = await Pebble.StartAsync(port80.Port, validitySeconds: 45);
        await using var server = await StartAsync(pebble);
        port80.ForwardTo(server.Server.RouterAddress.Port);
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "web", "-t", "node")).ExitCode);

        // When the domain is added without a certificate
        var added = await cli.RunAsync("domain", "add", Domain, "--app", "web");

        // Then the order completes by HTTP-01, the domain lists as valid, and the router serves a chain to Pebble's root by SNI
        Assert.True(added.ExitCode == 0, added.ToString());
        var listed = await WaitForAsync(cli, d => d.GetProperty("acme").GetProperty("status").GetString() == "valid");
        Assert.True(listed.GetProperty("https").GetBoolean());
        Assert.False(listed.GetProperty("acme").TryGetProperty("lastError", out var lastError) && lastError.ValueKind != JsonValueKind.Null);
        var root = await pebble.RootAsync();
        var first = await ServedCertificateAsync(server, root);
        Assert.Contains(Domain, first.GetNameInfo(X509NameType.DnsName, false), StringComparison.Ordinal);

        // And the metrics count the issued order and the valid domain
        using (var http = server.Http())
        {
            var metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
            Assert.Matches("nuage_acme_orders_total\\{outcome=\"issued\"\\} [1-9]", metrics);
            Assert.Matches("nuage_acme_domains\\{status=\"valid\"\\} 1", metrics);
            Assert.Contains("nuage_acme_certificate_expiry_seconds{domain=\"shop.example.test\"}", metrics, StringComparison.Ordinal);
        }

        // And the private key is sealed at rest
        Assert.DoesNotContain("PRIVATE KEY", HttpsDomainTests.ReadDatabaseFiles(server), StringComparison.Ordinal);

        // When 2/3 of the certificate's lifetime has passed, a new certificate replaces it with no action taken
        X509Certificate2? renewed = null;
        for (var i = 0; i < 240 && renewed is null; i++)
        {
            await Task.Delay(500);
            var served = await ServedCertificateAsync(server, root);
            renewed = served.Thumbprint != first.Thumbprint ? served : null;
        }

        Assert.NotNull(renewed);
        Assert.True(renewed.NotAfter > first.NotAfter);
    }

    [Fact]
    public async Task ChallengePortUnreachable_DomainFailsWithTheCaProblem_ThenRecoversWhenReachable()
    {
        // Given Pebble whose validations reach nothing (the port is closed)
        using var port80 = new SwitchablePort();
        await using var pebble = await Pebble.StartAsync(port80.Port);
        await using var server = await StartAsync(pebble);
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "web", "-t", "node")).ExitCode);

        // When the domain is added
        Assert.Equal(0, (await cli.RunAsync("domain", "add", Domain, "--app", "web")).ExitCode);

        // Then it fails with the CA's problem detail, and no certificate is served
        var failed = await WaitForAsync(cli, d => d.GetProperty("acme").GetProperty("status").GetString() == "failed");
        var error = failed.GetProperty("acme").GetProperty("lastError").GetString()!;
        Assert.Contains("urn:ietf:params:acme:error:", error, StringComparison.Ordinal);
        Assert.False(failed.GetProperty("https").GetBoolean());
        var table = (await cli.RunAsync("domain", "list", "--app", "web")).Output;
        Assert.Contains("failed:", table, StringComparison.Ordinal);

        // When port 80 reaches the router, the backoff retry succeeds without any action
        port80.ForwardTo(server.Server.RouterAddress.Port);
        var valid = await WaitForAsync(cli, d => d.GetProperty("acme").GetProperty("status").GetString() == "valid");
        Assert.True(valid.GetProperty("https").GetBoolean());
        Assert.Equal(Domain, (await ServedCertificateAsync(server, await pebble.RootAsync())).GetNameInfo(X509NameType.DnsName, false));
    }

    [Fact]
    public async Task TlsAlpnChallenge_WithRouterProcess_ObtainsCertificateThroughTheHttpsPortAlone()
    {
        // Given Pebble whose TLS-ALPN-01 validations reach the router process's HTTPS port, and whose HTTP port is closed
        using var port80 = new SwitchablePort();
        using var port443 = new SwitchablePort();
        await using var pebble = await Pebble.StartAsync(port80.Port, tlsPort: port443.Port);
        await using var server = await StartAsync(pebble, AcmeChallengeTypes.TlsAlpn01, RouterModes.Process);
        port443.ForwardTo(server.Server.RouterHttpsAddress!.Port);
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "web", "-t", "node")).ExitCode);

        // When the domain is added
        Assert.Equal(0, (await cli.RunAsync("domain", "add", Domain, "--app", "web")).ExitCode);

        // Then the order completes by TLS-ALPN-01 and the router process serves the issued chain by SNI
        var valid = await WaitForAsync(cli, d => d.GetProperty("acme").GetProperty("status").GetString() is "valid" or "failed");
        Assert.True(valid.GetProperty("acme").GetProperty("status").GetString() == "valid", valid.ToString());
        Assert.Equal(Domain, (await ServedCertificateAsync(server, await pebble.RootAsync())).GetNameInfo(X509NameType.DnsName, false));
    }

    private static Task<RunningServer> StartAsync(Pebble pebble, string challenge = AcmeChallengeTypes.Http01, string router = RouterModes.InProcess) =>
        RunningServer.StartAsync(o => o with
        {
            Https = "127.0.0.1:0",
            Router = router,
            Acme = new AcmeOptions
            {
                Email = "ops@example.test",
                Directory = pebble.DirectoryUrl,
                CaCertificateFile = pebble.CaCertificateFile,
                Challenge = challenge,
                RetryBase = TimeSpan.FromSeconds(1),
                RetryCap = TimeSpan.FromSeconds(4),
            },
        });

    private static async Task<JsonElement> WaitForAsync(CliRun cli, Func<JsonElement, bool> done)
    {
        JsonElement last = default;
        for (var i = 0; i < 240; i++)
        {
            var listed = await cli.RunAsync("domain", "list", "--app", "web", "--json");
            last = Assert.Single(JsonDocument.Parse(listed.Output).RootElement.EnumerateArray()).Clone();
            if (last.TryGetProperty("acme", out var acme) && acme.ValueKind == JsonValueKind.Object && done(last))
            {
                return last;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"the domain never reached the expected state; last listing: {last}");
        return last;
    }

    /// <summary>The leaf the router presents for SNI = the domain, after the chain validated to Pebble's root.</summary>
    private static async Task<X509Certificate2> ServedCertificateAsync(RunningServer server, X509Certificate2 root)
    {
        X509Certificate2? seen = null;
        var address = new IPEndPoint(IPAddress.Loopback, server.Server.RouterHttpsAddress!.Port);
        using var http = Pebble.ClientTrusting(root, address, certificate => seen = certificate);
        using var response = await http.GetAsync(new Uri($"https://{Domain}:{address.Port}/"));
        Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.OK, response.StatusCode.ToString());
        return seen!;
    }
}
