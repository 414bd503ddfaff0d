using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Foundation;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.WebConsole;

namespace Nuage.FunctionalTests.Security;

/// <summary>
/// Attacks on the web console's session against a real server, with a plain HTTP client acting as the attacker's
/// browser (the browser tests in WebConsole/ cover the same rules through real pages).
/// </summary>
public sealed class ConsoleSessionAttackTests
{
    [Fact]
    public async Task ForgedPost_WithSessionCookieButNoCsrfToken_IsRefusedAndChangesNothing()
    {
        await using var server = await RunningServer.StartAsync();
        using var browser = await SignedInAsync(server, server.AdminToken);

        using var response = await browser.Client.PostAsJsonAsync("v1/apps", new { name = "forged", runtime = "static" });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "csrf_failed");
        using var admin = server.Http();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("v1/apps/forged")).StatusCode);
    }

    [Fact]
    public async Task ForgedPost_WithWrongCsrfToken_IsRefused()
    {
        await using var server = await RunningServer.StartAsync();
        using var browser = await SignedInAsync(server, server.AdminToken);
        browser.Client.DefaultRequestHeaders.Add(ConsoleSessions.CsrfHeader, browser.Csrf[..^2] + "xx");

        using var response = await browser.Client.PostAsJsonAsync("v1/apps", new { name = "forged", runtime = "static" });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "csrf_failed");
    }

    [Fact]
    public async Task Post_WithCsrfTokenFromAnotherOrigin_IsRefused()
    {
        await using var server = await RunningServer.StartAsync();
        using var browser = await SignedInAsync(server, server.AdminToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/apps") { Content = JsonContent.Create(new { name = "forged", runtime = "static" }) };
        request.Headers.Add(ConsoleSessions.CsrfHeader, browser.Csrf);
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await browser.Client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "csrf_failed");
    }

    [Fact]
    public async Task SignIn_FromAnotherOrigin_IsRefusedAndSetsNoCookie()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "console/session") { Content = JsonContent.Create(new { token = server.AdminToken }) };
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "csrf_failed");
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task ViewerSession_WithValidCsrfToken_IsStillForbiddenByRole()
    {
        await using var server = await RunningServer.StartAsync();
        var viewer = await AuthTests.CreateTokenAsync(server, "viewer");
        using var browser = await SignedInAsync(server, viewer);
        browser.Client.DefaultRequestHeaders.Add(ConsoleSessions.CsrfHeader, browser.Csrf);

        using var response = await browser.Client.PostAsJsonAsync("v1/apps", new { name = "forged", runtime = "static" });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task RevokedToken_EndsItsConsoleSessionsAtOnce()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Http();
        var created = await (await admin.PostAsJsonAsync("v1/tokens", new { role = "developer", description = "laptop" })).Content.ReadFromJsonAsync<JsonElement>();
        using var browser = await SignedInAsync(server, created.GetProperty("secret").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("v1/apps")).StatusCode);

        await admin.DeleteAsync($"v1/tokens/{created.GetProperty("token").GetProperty("id").GetString()}");

        await AssertProblemAsync(await browser.Client.GetAsync("v1/apps"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task SignIn_SetsHttpOnlySameSiteStrictCookie_AndTheAnswerHoldsNoSecret()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(server.Url + "/") };

        using var response = await client.PostAsJsonAsync("console/session", new { token = server.AdminToken });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(ConsoleSessions.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(server.AdminToken, cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(server.AdminToken, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/console/app.js")]
    public async Task ConsoleResponses_ForbidFramingAndInlineScript(string path)
    {
        await using var server = await RunningServer.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(server.Url) };

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    private static async Task<SignedInClient> SignedInAsync(RunningServer server, string token)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(server.Url + "/") };
        using var response = await client.PostAsJsonAsync("console/session", new { token });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new SignedInClient(client, session.GetProperty("csrf").GetString()!);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    private sealed record SignedInClient(HttpClient Client, string Csrf) : IDisposable
    {
        public void Dispose() => Client.Dispose();
    }
}
