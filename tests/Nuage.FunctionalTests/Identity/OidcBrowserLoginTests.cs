using System.Net;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Identity;

/// <summary>
/// <c>nuage login --oidc --browser</c> end to end: the real CLI listening on a loopback port, the server brokering the
/// authorization code with PKCE, and the real oidc-provider whose pages a test "browser" fills in before delivering the
/// provider's redirect to the CLI's port, as a browser would.
/// </summary>
public sealed class OidcBrowserLoginTests
{
    [Fact]
    public async Task BrowserLogin_ThroughTheLoopbackRedirect_StoresTheSession_AndIgnoresACallbackWithAnotherState()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        string? page = null;
        HttpStatusCode? forged = null;

        var login = await OidcCliLogin.RunBrowserAsync(server, async url =>
        {
            var callback = await OidcUser.AuthorizeAsync(url, "alice");
            Assert.Equal("127.0.0.1", callback.Host);
            Assert.Equal("/callback", callback.AbsolutePath);
            using var browser = new HttpClient();
            // Another local process guessing the port, with a state of its own: answered 400 and ignored.
            using (var other = await browser.GetAsync($"http://127.0.0.1:{callback.Port}/callback?state=forged&code=stolen"))
            {
                forged = other.StatusCode;
            }

            page = await browser.GetStringAsync(callback);
        });

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, forged);
        Assert.Contains("Signed in to Nuage as alice@nuage.test in acme (admin)", page, StringComparison.Ordinal);
        Assert.Contains("as alice@nuage.test in acme (admin)", login.Output, StringComparison.Ordinal);
        var whoami = await login.RunAsync("whoami");
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Contains("alice@nuage.test", whoami.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainLogin_AtAnIssuerWithoutDeviceGrant_FallsBackToTheBrowser_AndSignsIn()
    {
        await using var provider = await OidcProvider.StartAsync(deviceFlow: false);
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);

        var login = await OidcCliLogin.RunBrowserAsync(server, async url =>
        {
            var callback = await OidcUser.AuthorizeAsync(url, "alice");
            using var browser = new HttpClient();
            await browser.GetStringAsync(callback);
        }, askForBrowser: false);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("The issuer has no device sign-in; signing in through a browser instead.", login.Output, StringComparison.Ordinal);
        Assert.Contains("as alice@nuage.test in acme (admin)", login.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrowserLogin_RefusedAtTheProvider_TellsTheBrowserAndExitsUnauthorized()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        string? page = null;

        var login = await OidcCliLogin.RunBrowserAsync(server, async url =>
        {
            var callback = await OidcUser.AuthorizeAsync(url, "alice", approve: false);
            using var browser = new HttpClient();
            using var answer = await browser.GetAsync(callback);
            page = await answer.Content.ReadAsStringAsync();
        });

        Assert.True(login.ExitCode == 4, login.ToString());
        Assert.Contains("access_denied", login.Error, StringComparison.Ordinal);
        Assert.Contains("Sign-in failed", page, StringComparison.Ordinal);
        Assert.Null(login.StoredToken);
    }

    [Fact]
    public async Task Login_WithBrowserButNotOidc_IsInvalidInput()
    {
        await using var server = await RunningServer.StartAsync();

        var run = await server.Cli().RunAsync("login", "--url", server.Url, "--token", server.AdminToken, "--browser");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--browser", run.Error, StringComparison.Ordinal);
    }
}
