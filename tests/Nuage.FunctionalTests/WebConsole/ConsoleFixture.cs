using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Nuage.FunctionalTests.Foundation;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.WebConsole;

/// <summary>
/// One real <c>nuage server</c> and one headless Debian chromium (driven by Playwright, no browser download) shared
/// by every console browser test, so the whole class adds one server start and one browser start to the suite.
/// Screenshots go to <c>$NUAGE_TEST_ARTIFACTS/console</c> (default: <c>artifacts/console</c> beside the test binaries).
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium package (.ci/packages/console.apt).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public RunningServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string ViewerToken { get; private set; } = null!;

    public string ScreenshotDirectory { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("NUAGE_TEST_ARTIFACTS") is { Length: > 0 } root ? root : Path.Combine(AppContext.BaseDirectory, "artifacts"), "console");

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync();
        ViewerToken = await AuthTests.CreateTokenAsync(Server, "viewer");
        _playwright = await Playwright.CreateAsync();
        // --no-sandbox: the tests run as root, where chromium refuses its own sandbox.
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
        Assertions.SetDefaultExpectTimeout(30_000);
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A fresh browser context (its own cookies) signed in through the sign-in page with <paramref name="token"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string token, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Server.Url, ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var problems = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Enqueue("console: " + message.Text); };
        page.PageError += (_, error) => problems.Enqueue("page error: " + error);
        page.RequestFailed += (_, request) => problems.Enqueue($"request failed: {request.Url} ({request.Failure})");
        await page.GotoAsync("/");
        try
        {
            // Generous and bounded: the first page of a class runs while the other test classes load the machine.
            // Twice seen stuck at "Loading…" under a full-suite load and never alone: one reload, then the failure
            // names what the browser saw (script errors, failed requests) so a real cause is not hidden.
            await page.GetByLabel("API token").WaitForAsync(new() { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            problems.Enqueue("reloaded once after 60 s");
            await page.ReloadAsync();
            try
            {
                await page.GetByLabel("API token").WaitForAsync(new() { Timeout = 60_000 });
            }
            catch (TimeoutException)
            {
                Assert.Fail("The sign-in form did not appear; the page shows: " + await page.Locator("body").InnerTextAsync()
                    + "\nthe browser saw: " + string.Join("\n", problems));
            }
        }

        await page.GetByLabel("API token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Apps", Exact = true })).ToBeVisibleAsync();
        return page;
    }

    public async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>Creates an app through the REST API (the tests that are not about creating apps).</summary>
    public async Task<JsonElement> CreateAppAsync(string name, string runtime = "node")
    {
        using var http = Server.Http();
        using var response = await http.PostAsJsonAsync("v1/apps", new { name, runtime });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
