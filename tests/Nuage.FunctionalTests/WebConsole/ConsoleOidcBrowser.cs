using System.Net;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.WebConsole;

namespace Nuage.FunctionalTests.WebConsole;

/// <summary>
/// One browser's cookies against the console's OpenID Connect endpoints, over plain HTTP with redirects not followed,
/// so a test sees each hop (start → issuer → callback) and can hand a callback to another "browser".
/// </summary>
internal sealed class ConsoleOidcBrowser : IDisposable
{
    private readonly HttpClientHandler _handler = new() { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };

    public ConsoleOidcBrowser(RunningServer server)
    {
        Server = server;
        Http = new HttpClient(_handler) { BaseAddress = new Uri(server.Url + "/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public RunningServer Server { get; }

    public HttpClient Http { get; }

    public CookieCollection Cookies => _handler.CookieContainer.GetCookies(new Uri(Server.Url + ConsoleOidcEndpoints.CallbackPath));

    public string? SessionCookie => _handler.CookieContainer.GetCookies(new Uri(Server.Url + "/"))[ConsoleSessions.CookieName]?.Value;

    /// <summary>GET /console/oidc/start; the answer (a redirect to the issuer, or an error page).</summary>
    public Task<HttpResponseMessage> StartAsync(string issuer, string? returnTo = null) =>
        Http.GetAsync($"console/oidc/start?issuer={Uri.EscapeDataString(issuer)}" + (returnTo is null ? string.Empty : "&return=" + Uri.EscapeDataString(returnTo)));

    /// <summary>Starts, signs in at the provider as <paramref name="login"/>, and returns the callback URL the provider redirected to (not yet visited).</summary>
    public async Task<Uri> AuthorizeAsync(string issuer, string login, bool approve = true, string? returnTo = null)
    {
        using var started = await StartAsync(issuer, returnTo);
        Assert.True(started.StatusCode == HttpStatusCode.Redirect, $"{(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
        return await Identity.OidcUser.AuthorizeAsync(started.Headers.Location!.ToString(), login, approve);
    }

    /// <summary>Delivers a callback URL in this browser (with this browser's cookies).</summary>
    public Task<HttpResponseMessage> CallbackAsync(Uri callback) => Http.GetAsync(callback);

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }
}
