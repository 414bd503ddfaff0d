using System.Net.Http.Json;
using Microsoft.Playwright;
using Nuage.FunctionalTests.Identity;
using Nuage.FunctionalTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nuage.FunctionalTests.WebConsole;

/// <summary>
/// "Sign in with …" in a real browser (Debian's headless chromium driven by Playwright) against a real server and the
/// real npm oidc-provider: the console's button, the provider's own login and consent pages, the callback, and the
/// console showing the user's apps (and not another organisation's).
/// </summary>
public sealed class ConsoleOidcBrowserTests : IAsyncLifetime
{
    private OidcProvider _provider = null!;
    private RunningServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _provider = await OidcProvider.StartAsync();
        _server = await OidcDeviceLoginTests.StartServerAsync(_provider);
        using var op = _server.Http();
        (await IdentityWorld.PostAsync(op, "v1/orgs", new { name = "globex" })).Dispose();
        await CreateAppAsync(op, "acme", "acme-shop");
        await CreateAppAsync(op, "globex", "globex-secret");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ConsoleFixture.ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task SignInWithTheProvider_ThroughItsLoginAndConsentPages_ShowsTheUsersApps()
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = _server.Url, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        var button = page.GetByRole(AriaRole.Link, new() { Name = "Sign in with nuage" });
        await button.WaitForAsync(new() { Timeout = 120_000 }); // bounded: the first page load of a busy machine

        await button.ClickAsync();
        await page.Locator("input[name=login]").FillAsync("alice");
        await page.Locator("input[name=password]").FillAsync("any password");
        await page.Locator("button[type=submit]").First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync(); // the provider's consent page

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Apps", Exact = true })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "acme-shop", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("#who")).ToContainTextAsync("admin in acme");
        Assert.Equal(0, await page.GetByText("globex-secret").CountAsync());
        Assert.DoesNotContain("code=", page.Url, StringComparison.Ordinal);
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == Server.WebConsole.ConsoleSessions.CookieName);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        await context.CloseAsync();
    }

    [Fact]
    public async Task SignInRefusedAtTheProvider_ShowsTheErrorPage_AndItsLinkLeadsBackToTheSignInForm()
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = _server.Url });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        var button = page.GetByRole(AriaRole.Link, new() { Name = "Sign in with nuage" });
        await button.WaitForAsync(new() { Timeout = 120_000 });

        await button.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "[ Cancel ]" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign-in failed" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("#signin-error")).ToContainTextAsync("access_denied");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the sign-in page" }).ClickAsync();
        await Expect(page.GetByLabel("API token")).ToBeVisibleAsync();
        await context.CloseAsync();
    }

    private static async Task CreateAppAsync(HttpClient op, string org, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/apps") { Content = JsonContent.Create(new { name, runtime = "node" }) };
        request.Headers.Add(Server.Security.TokenAuthenticator.OrgHeader, org);
        using var response = await op.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
