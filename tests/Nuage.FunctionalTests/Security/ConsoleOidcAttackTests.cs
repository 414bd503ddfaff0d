using System.Net;
using System.Net.Http.Json;
using Nuage.FunctionalTests.Identity;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.FunctionalTests.WebConsole;
using Nuage.Server.WebConsole;

namespace Nuage.FunctionalTests.Security;

/// <summary>One real oidc-provider and one server trusting it, shared by the attack tests of the browser sign-in.</summary>
public sealed class OidcServerFixture : IAsyncLifetime
{
    internal OidcProvider Provider { get; private set; } = null!;

    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await OidcProvider.StartAsync();
        Server = await OidcDeviceLoginTests.StartServerAsync(Provider);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>
/// Attacks on the authorization-code sign-in (console and terminal) with genuine codes from the real oidc-provider:
/// a callback delivered to another browser (login CSRF), a replayed callback, an open redirect through the
/// <c>return</c> parameter, and a terminal sign-in asking for a non-loopback redirect. Each must be refused with its
/// specific code and open no session.
/// </summary>
public sealed class ConsoleOidcAttackTests(OidcServerFixture fixture) : IClassFixture<OidcServerFixture>
{
    [Fact]
    public async Task CallbackWithAnotherBrowsersStateAndCode_LoginCsrf_IsRefused_AndOpensNoSession()
    {
        using var attacker = new ConsoleOidcBrowser(fixture.Server);
        using var victim = new ConsoleOidcBrowser(fixture.Server);
        var attackersCallback = await attacker.AuthorizeAsync(fixture.Provider.Issuer, "alice");
        (await victim.StartAsync(fixture.Provider.Issuer)).Dispose(); // the victim has a sign-in of its own under way

        using var answer = await victim.CallbackAsync(attackersCallback);

        await ConsoleOidcSignInTests.AssertErrorPageAsync(answer, HttpStatusCode.Unauthorized, "oidc_state_invalid");
        Assert.Null(victim.SessionCookie);
    }

    [Fact]
    public async Task ReplayedCallback_EvenWithItsBindingCookie_IsRefusedBeforeTheIssuerIsAsked()
    {
        using var browser = new ConsoleOidcBrowser(fixture.Server);
        var callback = await browser.AuthorizeAsync(fixture.Provider.Issuer, "alice");
        var binding = browser.Cookies[ConsoleOidcEndpoints.BindingCookie]!.Value;
        using (var first = await browser.CallbackAsync(callback))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        // Someone who captured the whole request (URL and cookie) sends it again from a fresh client.
        using var replayer = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, callback);
        request.Headers.Add("Cookie", $"{ConsoleOidcEndpoints.BindingCookie}={binding}");
        using var replay = await replayer.SendAsync(request);

        await ConsoleOidcSignInTests.AssertErrorPageAsync(replay, HttpStatusCode.Unauthorized, "oidc_state_invalid");
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task ReturnParameterLeavingTheConsole_OpenRedirect_IsRefusedAtStart(string returnTo)
    {
        using var browser = new ConsoleOidcBrowser(fixture.Server);

        using var answer = await browser.StartAsync(fixture.Provider.Issuer, returnTo);

        var page = await ConsoleOidcSignInTests.AssertErrorPageAsync(answer, HttpStatusCode.UnprocessableEntity, "invalid_input");
        Assert.Contains("return", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReturnParameterNamingAConsolePage_IsWhereTheCallbackSendsTheBrowser()
    {
        using var browser = new ConsoleOidcBrowser(fixture.Server);
        var callback = await browser.AuthorizeAsync(fixture.Provider.Issuer, "alice", returnTo: "/#/apps/acme-shop");

        using var answer = await browser.CallbackAsync(callback);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/#/apps/acme-shop", answer.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("http://evil.example:8080/callback")]
    [InlineData("http://localhost:8080/callback")]
    [InlineData("https://127.0.0.1:8080/callback")]
    [InlineData("http://127.0.0.1/callback")]
    public async Task TerminalSignInAskingForANonLoopbackRedirect_IsRefused_NamingTheField(string redirectUri)
    {
        using var anonymous = fixture.Server.Http(token: "");

        using var answer = await anonymous.PostAsJsonAsync("v1/auth/oidc/code", new { redirectUri });

        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        Assert.Contains("redirectUri", body, StringComparison.Ordinal);
        Assert.DoesNotContain("/auth?", body, StringComparison.Ordinal);
    }
}
