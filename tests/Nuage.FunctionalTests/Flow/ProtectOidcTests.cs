using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Nuage.FunctionalTests.Domains;
using Nuage.FunctionalTests.Identity;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Hosting;

namespace Nuage.FunctionalTests.Flow;

/// <summary>
/// <c>nuage protect oidc</c> through the real CLI, server and router (in the server, and as its own process), against the
/// real npm oidc-provider: the settings are validated, the client secret stored sealed and never shown, the sign-in works
/// through the router, and a signed-in visitor stays signed in across a server restart (the session key is kept).
/// </summary>
public sealed class ProtectOidcTests
{
    [Theory]
    [InlineData(RouterModes.InProcess)]
    [InlineData(RouterModes.Process)]
    public async Task ProtectOidc_WithTheCli_SealsTheSecret_SignsInThroughTheRouter_AndTheSessionOutlivesARestart(string routerMode)
    {
        // Given a deployed static site and the issuer, whose web client knows the router's callback on the site's host
        await using var server = await RunningServer.StartAsync(o => o with { Router = routerMode });
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "site", "-t", "static")).ExitCode);
        await Deployer.DeployOkAsync(server, "site", Deployer.Example("static"));
        var router = server.Server.RouterAddress;
        await using var provider = await OidcProvider.StartAsync(webRedirectUris: [$"http://site.localhost:{router.Port}/.nuage/oauth2/callback"]);

        // When bad settings are given, they are refused naming the field
        var bad = await cli.RunAsync("protect", "oidc", "--app", "site", "--issuer", "ftp://sso.example.com", "--client-id", "x", "--allow-domain", "bad domain!");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("oidc.issuer", bad.Error, StringComparison.Ordinal);
        Assert.Contains("oidc.allowedDomains[0]", bad.Error, StringComparison.Ordinal);

        // When the app is protected with a confidential client whose secret comes on stdin
        var protect = await cli.RunWithInputAsync("nuage-proxy-secret\n", "protect", "oidc", "--app", "site", "--issuer", provider.Issuer, "--client-id", "nuage-proxy",
            "--client-secret-stdin", "--allow-email", "alice@nuage.test", "--scope", "email", "--scope", "profile");
        Assert.True(protect.ExitCode == 0, protect.ToString());

        // Then the secret is never listed, and stored only sealed
        var shown = await cli.RunAsync("protect", "show", "--app", "site", "--json");
        var oidc = JsonDocument.Parse(shown.Output).RootElement.GetProperty("oidc");
        Assert.True(oidc.GetProperty("hasClientSecret").GetBoolean());
        Assert.DoesNotContain("nuage-proxy-secret", shown.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("nuage-proxy-secret", HttpsDomainTests.ReadDatabaseFiles(server), StringComparison.Ordinal);

        // And a visitor is sent to the issuer, signs in, and gets the site
        var cookies = new CookieContainer();
        var browser = Browser(server, cookies);
        using var first = await browser.GetAsync(Site(server));
        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        var callback = await OidcUser.AuthorizeAsync(first.Headers.Location!.ToString(), "alice");
        using var back = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Found, back.StatusCode);
        using var page = await browser.GetAsync(Site(server));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // And after a server restart the same session cookie still opens the site (the sealed session key was restored)
        await server.RestartAsync();
        using var afterRestart = await Browser(server, cookies).GetAsync(Site(server));
        Assert.Equal(HttpStatusCode.OK, afterRestart.StatusCode);
        using var stranger = await Browser(server, new CookieContainer()).GetAsync(Site(server));
        Assert.Equal(HttpStatusCode.Found, stranger.StatusCode);
    }

    private static string Site(RunningServer server) => $"http://site.localhost:{server.Server.RouterAddress.Port}/";

    /// <summary>A cookie-keeping client whose connections all go to the server's router, whatever host the URL names.</summary>
    private static HttpClient Browser(RunningServer server, CookieContainer cookies)
    {
        var router = server.Server.RouterAddress;
        return new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            CookieContainer = cookies,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, router.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { Timeout = TimeSpan.FromSeconds(30) };
    }
}
