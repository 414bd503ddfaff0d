using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Nuage.FunctionalTests.Identity;
using Nuage.Router.Flow;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests.Flow;

/// <summary>
/// <c>nuage protect oidc</c> at the router, end to end against the real npm oidc-provider on loopback (Keycloak-shaped
/// issuer <c>/realms/nuage</c>): a test "browser" keeps cookies, fills the provider's login and consent forms, and delivers
/// its redirect to the router's callback on the app's own host.
/// </summary>
public sealed class OidcProtectionTests
{
    private const string Host = "web.localhost";

    [Fact]
    public async Task SignIn_ThroughTheIssuer_TheAppSeesTheUser_AndNeverTheClientsForgedHeadersNorTheRouterCookies()
    {
        await using var env = await Env.StartAsync(c => c with { AllowedDomains = ["nuage.test"] });
        var browser = env.Browser();

        // Given a visitor who is not signed in: sent to the issuer with PKCE (S256), nothing reaches the app
        using var first = await browser.GetAsync(env.Router.Url(Host, "/headers?x=1"));
        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        var authorize = first.Headers.Location!.ToString();
        Assert.StartsWith(env.Provider.Issuer + "/auth?", authorize, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorize, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString($"http://{Host}:{env.Router.Port}/.nuage/oauth2/callback"), authorize, StringComparison.Ordinal);
        Assert.Equal(0, env.Backend.Hits);

        // When alice signs in at the issuer and the browser comes back to the callback
        using var back = await env.CompleteSignInAsync(browser, authorize, "alice");
        Assert.Equal(HttpStatusCode.Found, back.StatusCode);
        Assert.Equal("/headers?x=1", back.Headers.Location!.ToString());

        // Then the app sees her identity from the router, not the one the client forged, and not the router's cookies
        using var request = new HttpRequestMessage(HttpMethod.Get, env.Router.Url(Host, "/headers"));
        request.Headers.TryAddWithoutValidation("X-Forwarded-Email", "admin@evil.test");
        request.Headers.TryAddWithoutValidation("X-Forwarded-User", "admin");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Groups", "admins");
        env.Cookies.Add(env.Router.Url(Host), new Cookie("theme", "dark"));
        var seen = await env.HeadersSeenAsync(browser, request);
        Assert.Equal("alice@nuage.test", seen["X-Forwarded-Email"]);
        Assert.Equal("alice", seen["X-Forwarded-User"]);
        Assert.Equal("/nuage/acme-admins", seen["X-Forwarded-Groups"]);
        Assert.False(seen.ContainsKey("X-Forwarded-Access-Token")); // not asked for
        Assert.Equal("theme=dark", seen["Cookie"]);
        Assert.DoesNotContain(seen, h => h.Value.Contains("evil", StringComparison.Ordinal) || h.Value.Contains("_nuage_oauth2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DisallowedEmail_GetsA403Page_AndNothingReachesTheApp()
    {
        await using var env = await Env.StartAsync(c => c with { AllowedEmails = ["alice@nuage.test"] });
        var browser = env.Browser();

        using var first = await browser.GetAsync(env.Router.Url(Host, "/headers"));
        using var back = await env.CompleteSignInAsync(browser, first.Headers.Location!.ToString(), "bob");
        using var page = await browser.GetAsync(env.Router.Url(Host, "/headers"));

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("bob@nuage.test", html, StringComparison.Ordinal);
        Assert.Contains(page.Headers.GetValues("X-Request-Id").Single(), html, StringComparison.Ordinal);
        Assert.Equal(0, env.Backend.Hits);
    }

    [Fact]
    public async Task GroupRule_LetsInAMemberOfAnAllowedGroup_AndRefusesOthers()
    {
        await using var env = await Env.StartAsync(c => c with { AllowedGroups = ["/nuage/acme-admins"] });
        var alice = env.Browser();
        var bob = env.Browser(new CookieContainer());

        using var aliceStart = await alice.GetAsync(env.Router.Url(Host, "/headers"));
        using var aliceBack = await env.CompleteSignInAsync(alice, aliceStart.Headers.Location!.ToString(), "alice");
        using var alicePage = await alice.GetAsync(env.Router.Url(Host, "/headers"));
        using var bobStart = await bob.GetAsync(env.Router.Url(Host, "/headers"));
        using var bobBack = await env.CompleteSignInAsync(bob, bobStart.Headers.Location!.ToString(), "bob");
        using var bobPage = await bob.GetAsync(env.Router.Url(Host, "/headers"));

        Assert.Equal(HttpStatusCode.OK, alicePage.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bobPage.StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSession_TheNextRequestGoesToTheIssuerAgain()
    {
        await using var env = await Env.StartAsync(c => c);
        var browser = env.Browser();
        using var first = await browser.GetAsync(env.Router.Url(Host, "/headers"));
        using var back = await env.CompleteSignInAsync(browser, first.Headers.Location!.ToString(), "alice");
        using var signedIn = await browser.GetAsync(env.Router.Url(Host, "/headers"));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);

        using var signOut = await browser.GetAsync(env.Router.Url(Host, "/.nuage/oauth2/sign_out?rd=/bye"));
        using var after = await browser.GetAsync(env.Router.Url(Host, "/headers"));
        using var offsite = await browser.GetAsync(env.Router.Url(Host, "/.nuage/oauth2/sign_out?rd=//evil.test/"));

        Assert.Equal(HttpStatusCode.Found, signOut.StatusCode);
        Assert.Equal("/bye", signOut.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
        Assert.StartsWith(env.Provider.Issuer, after.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("/", offsite.Headers.Location!.ToString()); // never an open redirect
    }

    [Fact]
    public async Task SessionLifetime_Over_EvenAReplayedCookieIsSentToTheIssuerAgain()
    {
        // A one-second session (below what 'nuage protect oidc' accepts: the test publishes the route itself)
        await using var env = await Env.StartAsync(c => c with { SessionLifetimeSeconds = 1 });
        var browser = env.Browser();
        using var first = await browser.GetAsync(env.Router.Url(Host, "/headers"));
        using var back = await env.CompleteSignInAsync(browser, first.Headers.Location!.ToString(), "alice");
        var cookie = env.Cookies.GetCookieHeader(env.Router.Url(Host));
        Assert.Contains("_nuage_oauth2_0=", cookie, StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromSeconds(2.2)); // let the session end (the cookie's own Max-Age too)
        var replayer = env.Router.CreateClient();
        using var replay = new HttpRequestMessage(HttpMethod.Get, env.Router.Url(Host, "/headers"));
        replay.Headers.TryAddWithoutValidation("Cookie", cookie);
        using var answer = await replayer.SendAsync(replay);

        Assert.Equal(HttpStatusCode.Found, answer.StatusCode);
        Assert.StartsWith(env.Provider.Issuer, answer.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, env.Backend.Hits);
    }

    [Fact]
    public async Task ExpiringAccessToken_IsRefreshedBeforeForwarding_AndTheNewTokensAreKeptInTheCookie()
    {
        // Access tokens of 64 s: fresh for 4 s, then inside the router's 60 s refresh margin
        await using var env = await Env.StartAsync(c => c with { PassAccessToken = true }, accessTokenSeconds: 64);
        var browser = env.Browser();
        using var first = await browser.GetAsync(env.Router.Url(Host, "/headers"));
        using var back = await env.CompleteSignInAsync(browser, first.Headers.Location!.ToString(), "alice");
        var signedIn = await env.HeadersSeenAsync(browser, new HttpRequestMessage(HttpMethod.Get, env.Router.Url(Host, "/headers")));

        await Task.Delay(TimeSpan.FromSeconds(4.5)); // into the refresh margin
        var refreshed = await env.HeadersSeenAsync(browser, new HttpRequestMessage(HttpMethod.Get, env.Router.Url(Host, "/headers")));
        var next = await env.HeadersSeenAsync(browser, new HttpRequestMessage(HttpMethod.Get, env.Router.Url(Host, "/headers")));

        Assert.False(string.IsNullOrEmpty(signedIn["X-Forwarded-Access-Token"]));
        Assert.NotEqual(signedIn["X-Forwarded-Access-Token"], refreshed["X-Forwarded-Access-Token"]);
        Assert.Equal(refreshed["X-Forwarded-Access-Token"], next["X-Forwarded-Access-Token"]); // the new token came back in the cookie
        Assert.Equal("alice@nuage.test", next["X-Forwarded-Email"]);
    }

    [Fact]
    public async Task StateMismatch_EndsOnAnErrorPageWithTheRequestId_NeverALoop()
    {
        await using var env = await Env.StartAsync(c => c);
        var browser = env.Browser();
        using var first = await browser.GetAsync(env.Router.Url(Host, "/headers"));
        Assert.Equal(HttpStatusCode.Found, first.StatusCode);

        // A callback with another state (a login CSRF attempt, or a stale tab)
        using var forged = await browser.GetAsync(env.Router.Url(Host, "/.nuage/oauth2/callback?code=stolen&state=forged"));
        var html = await forged.Content.ReadAsStringAsync();
        // The same callback again: the state cookie is gone, still a page, still no redirect
        using var again = await browser.GetAsync(env.Router.Url(Host, "/.nuage/oauth2/callback?code=stolen&state=forged"));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(forged.Headers.Location);
        Assert.Contains("state mismatch", html, StringComparison.Ordinal);
        Assert.Contains(forged.Headers.GetValues("X-Request-Id").Single(), html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Null(again.Headers.Location);
        Assert.Equal(0, env.Backend.Hits);
    }

    [Fact]
    public async Task IssuerDown_AnErrorPageWithTheRequestId_NotARedirect()
    {
        await using var env = await Env.StartAsync(c => c with { Issuer = "http://127.0.0.1:9/realms/gone" });
        using var answer = await env.Browser().GetAsync(env.Router.Url(Host, "/headers"));

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        Assert.Null(answer.Headers.Location);
        Assert.Contains(answer.Headers.GetValues("X-Request-Id").Single(), await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthAndExcludedPaths_AreOpen_ButForgedIdentityHeadersAreStillDropped()
    {
        await using var env = await Env.StartAsync(c => c with { ExcludedPaths = ["/headers"] });
        using var request = new HttpRequestMessage(HttpMethod.Get, env.Router.Url(Host, "/headers"));
        request.Headers.TryAddWithoutValidation("X-Forwarded-Email", "admin@evil.test");

        var seen = await env.HeadersSeenAsync(env.Browser(), request);
        using var health = await env.Browser().GetAsync(env.Router.Url(Host, "/health"));
        using var other = await env.Browser().GetAsync(env.Router.Url(Host, "/headersx"));

        Assert.False(seen.ContainsKey("X-Forwarded-Email"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Found, other.StatusCode);
    }

    [Theory]
    [InlineData("/app", true)]
    [InlineData("/", true)]
    [InlineData("//evil.test/x", false)]
    [InlineData("/\\evil.test", false)]
    [InlineData("https://evil.test/", false)]
    [InlineData("", false)]
    public void ReturnTargets_AreLocalPathsOnly(string target, bool local) => Assert.Equal(local, OidcGate.IsLocal(target));

    private sealed class Env : IAsyncDisposable
    {
        private Env(TestBackend backend, TestRouter router, OidcProvider provider)
        {
            Backend = backend;
            Router = router;
            Provider = provider;
        }

        public TestBackend Backend { get; }

        public TestRouter Router { get; }

        public OidcProvider Provider { get; }

        public CookieContainer Cookies { get; } = new();

        public static async Task<Env> StartAsync(Func<OidcAuthConfig, OidcAuthConfig> configure, int? accessTokenSeconds = null)
        {
            var backend = await TestBackend.StartAsync("a");
            var router = await TestRouter.StartAsync();
            var provider = await OidcProvider.StartAsync(webRedirectUris: [$"http://{Host}:{router.Port}/.nuage/oauth2/callback"], accessTokenSeconds: accessTokenSeconds);
            var config = configure(new OidcAuthConfig
            {
                Issuer = provider.Issuer,
                ClientId = "nuage-proxy",
                ClientSecret = "nuage-proxy-secret",
                SessionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                Scopes = ["openid", "email", "profile", "groups"],
            });
            router.Router.Publish(TestRouter.Route("web", backend) with { Flow = new FlowConfig { Oidc = config }, HealthPaths = ["/health"] });
            return new Env(backend, router, provider);
        }

        /// <summary>A client that keeps cookies (those of <paramref name="cookies"/>, else the shared jar) and does not follow redirects.</summary>
        public HttpClient Browser(CookieContainer? cookies = null)
        {
            var handler = Router.CreateHandler();
            handler.UseCookies = true;
            handler.CookieContainer = cookies ?? Cookies;
            return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        }

        /// <summary>Fills the provider's pages as <paramref name="login"/>, then delivers its redirect to the router's callback.</summary>
        public async Task<HttpResponseMessage> CompleteSignInAsync(HttpClient browser, string authorize, string login)
        {
            var callback = await OidcUser.AuthorizeAsync(authorize, login);
            Assert.Equal("/.nuage/oauth2/callback", callback.AbsolutePath);
            return await browser.GetAsync(callback);
        }

        public async Task<Dictionary<string, string>> HeadersSeenAsync(HttpClient browser, HttpRequestMessage request)
        {
            using (request)
            {
                using var response = await browser.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
                return JsonSerializer.Deserialize<Dictionary<string, string>>(body)!;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Router.DisposeAsync();
            await Provider.DisposeAsync();
            await Backend.DisposeAsync();
        }
    }
}
