using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Nuage.FunctionalTests.Identity;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.WebConsole;

namespace Nuage.FunctionalTests.WebConsole;

/// <summary>
/// The console's "Sign in with …" over HTTP, hop by hop, against the real npm oidc-provider: the authorization request
/// (PKCE S256, state, nonce), the callback opening the same session a token gives, and each failure (consent denied,
/// issuer down, code expired) answered with a page naming it and no redirect. The browser walk is ConsoleOidcBrowserTests.
/// </summary>
public sealed class ConsoleOidcSignInTests
{
    [Fact]
    public async Task Start_SendsTheBrowserToTheIssuer_WithPkceS256_StateAndNonce_AndBindsTheStateToThisBrowser()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        using var browser = new ConsoleOidcBrowser(server);

        using var started = await browser.StartAsync(provider.Issuer);

        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var location = started.Headers.Location!;
        Assert.StartsWith(provider.Issuer + "/auth?", location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("nuage-cli", query["client_id"]);
        Assert.Equal(server.Url + ConsoleOidcEndpoints.CallbackPath, query["redirect_uri"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length); // base64url of a SHA-256
        Assert.True(query["state"].ToString().Length >= 43 && query["nonce"].ToString().Length >= 43);
        var binding = Assert.Single(browser.Cookies, c => c.Name == ConsoleOidcEndpoints.BindingCookie);
        Assert.True(binding.HttpOnly);
        Assert.DoesNotContain(binding.Value, location.ToString(), StringComparison.Ordinal); // the binding never travels through the issuer
    }

    [Fact]
    public async Task Callback_AfterSignInAtTheIssuer_OpensTheSameConsoleSessionATokenGives()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        using var browser = new ConsoleOidcBrowser(server);

        var callback = await browser.AuthorizeAsync(provider.Issuer, "alice");
        using var answer = await browser.CallbackAsync(callback);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/", answer.Headers.Location!.ToString());
        Assert.NotNull(browser.SessionCookie);
        using var session = await browser.Http.GetAsync("console/session");
        var body = await session.Content.ReadAsStringAsync();
        Assert.True(session.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("admin", json.RootElement.GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("csrf").GetString()));
        var whoami = await browser.Http.GetStringAsync("v1/whoami");
        Assert.Contains("alice@nuage.test", whoami, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_WhenTheUserRefusesAtTheIssuer_ShowsAccessDenied_WithALinkBackAndNoRedirect()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        using var browser = new ConsoleOidcBrowser(server);

        var callback = await browser.AuthorizeAsync(provider.Issuer, "alice", approve: false);
        using var answer = await browser.CallbackAsync(callback);

        await AssertErrorPageAsync(answer, HttpStatusCode.Unauthorized, "oidc_access_denied");
        Assert.Null(browser.SessionCookie);
    }

    [Fact]
    public async Task Callback_WhenTheIssuerIsDown_ShowsWhichUrlFailed_WithNoRedirect()
    {
        var provider = await OidcProvider.StartAsync();
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        using var browser = new ConsoleOidcBrowser(server);
        var callback = await browser.AuthorizeAsync(provider.Issuer, "alice");
        await provider.DisposeAsync();

        using var answer = await browser.CallbackAsync(callback);

        var page = await AssertErrorPageAsync(answer, HttpStatusCode.BadGateway, "oidc_issuer_failed");
        Assert.Contains(provider.Issuer + "/token", page, StringComparison.Ordinal);
        Assert.Contains("unreachable", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_WithAnExpiredCode_IsRefusedByTheIssuer_AndSaysToSignInAgain()
    {
        await using var provider = await OidcProvider.StartAsync(authCodeSeconds: 1);
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        using var browser = new ConsoleOidcBrowser(server);
        var callback = await browser.AuthorizeAsync(provider.Issuer, "alice");

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // past the provider's 1 s code lifetime (not a timing assertion)
        using var answer = await browser.CallbackAsync(callback);

        var page = await AssertErrorPageAsync(answer, HttpStatusCode.Unauthorized, "oidc_code_refused");
        Assert.Contains("sign in again", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Providers_ListsTheIssuerWithItsRealmAsTheButtonName()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        using var anonymous = server.Http(token: "");

        var providers = await anonymous.GetStringAsync("console/oidc/providers");

        using var json = JsonDocument.Parse(providers);
        var only = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(provider.Issuer, only.GetProperty("issuer").GetString());
        Assert.Equal("nuage", only.GetProperty("name").GetString());
    }

    internal static async Task<string> AssertErrorPageAsync(HttpResponseMessage answer, HttpStatusCode status, string code)
    {
        var page = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == status, $"{(int)answer.StatusCode} (expected {(int)status}): {page}");
        Assert.Null(answer.Headers.Location); // a page, never a redirect: no loop
        Assert.StartsWith("text/html", answer.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("Sign-in failed", page, StringComparison.Ordinal);
        Assert.Contains(code, page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\">", page, StringComparison.Ordinal);
        Assert.Null(answer.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.FirstOrDefault(c => c.StartsWith(ConsoleSessions.CookieName + "=", StringComparison.Ordinal)) : null);
        return page;
    }
}
