using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nuage.FunctionalTests.Deploy;
using Nuage.FunctionalTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nuage.FunctionalTests.WebConsole;

/// <summary>
/// The web console in a real browser (Debian's chromium, headless, driven by Playwright) against a real server:
/// sign-in, create, a git push watched live, the live log tail, variable validation, rollback, and a viewer.
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private static readonly TimeSpan DeployTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task SignIn_KeepsTheTokenOutOfThePage_AndSignOutEndsTheSession()
    {
        var page = await console.SignedInPageAsync(console.Server.AdminToken);

        var cookie = Assert.Single(await page.Context.CookiesAsync());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(console.Server.AdminToken, cookie.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(console.Server.AdminToken, page.Url, StringComparison.Ordinal);
        var storage = await page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie");
        Assert.DoesNotContain(console.Server.AdminToken, storage, StringComparison.Ordinal);
        Assert.DoesNotContain(cookie.Value, storage, StringComparison.Ordinal); // HttpOnly: scripts cannot read it
        await console.ScreenshotAsync(page, "apps");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page.GetByLabel("API token")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByLabel("API token")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CreateApp_FromTheAppsPage_OpensItsOverview()
    {
        var page = await console.SignedInPageAsync(console.Server.AdminToken);

        await page.GetByLabel("Name").FillAsync("made-in-console");
        await page.GetByLabel("Runtime").SelectOptionAsync("static");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "made-in-console" })).ToBeVisibleAsync();
        await Expect(page.GetByText("No instance is running.")).ToBeVisibleAsync();
        using var http = console.Server.Http();
        var app = await http.GetFromJsonAsync<JsonElement>("v1/apps/made-in-console");
        Assert.Equal("static", app.GetProperty("runtime").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task GitPush_IsFollowedLiveToSucceeded_ThenTheLiveTailShowsANewAppLine_ThenRollBack()
    {
        const string app = "shop";
        var created = await console.CreateAppAsync(app);
        using var http = console.Server.Http();
        // The first build waits in its pre-build hook until the test drops a file in the release: the page is open
        // while the deployment runs, whatever the machine's speed (bounded: the hook gives up after 2 minutes).
        await SetVariableAsync(http, app, "CC_PRE_BUILD_HOOK", "echo waiting for the console test; i=0; while [ ! -f console-go ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done; echo released");
        var work = await WorkTreeAsync("v1");
        var remote = GitClient.WithToken($"{console.Server.Url}/git/{app}.git", console.Server.AdminToken);
        var push = GitClient.RunAsync(work, "push", remote, "main");
        var first = await WaitForDeploymentAsync(http, app, d => d.GetProperty("stages").EnumerateArray()
            .Any(s => s.GetProperty("name").GetString() == "pre-build-hook" && s.GetProperty("state").GetString() == "running"));

        var page = await console.SignedInPageAsync(console.Server.AdminToken);
        await page.GotoAsync($"/#/apps/{app}/deployments/{first}");
        await Expect(page.Locator("#deployment-state")).ToHaveTextAsync("running");
        await Expect(page.Locator("tr[data-stage='pre-build-hook']")).ToContainTextAsync("running");
        await Expect(page.GetByLabel("Build output")).ToContainTextAsync("waiting for the console test");
        await console.ScreenshotAsync(page, "deployment-running");
        await File.WriteAllTextAsync(Path.Combine(console.Server.Server.Paths.Release(created.GetProperty("id").GetString()!, first), "console-go"), "");

        await Expect(page.Locator("#deployment-state")).ToHaveTextAsync("succeeded", new() { Timeout = (float)DeployTimeout.TotalMilliseconds });
        await Expect(page.Locator("tr[data-stage='switch']")).ToContainTextAsync("succeeded");
        await Expect(page.GetByLabel("Build output")).ToContainTextAsync("released");
        await console.ScreenshotAsync(page, "deployment");
        Assert.Equal(0, (await push).ExitCode);

        // Live tail: a request made after the page is open logs a line the page shows without a reload.
        await page.GotoAsync($"/#/apps/{app}/logs");
        await Expect(page.GetByText("● live")).ToBeVisibleAsync();
        var probe = "/console-probe-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(200, (await Deployer.GetAppAsync(console.Server, app, probe)).Status);
        await Expect(page.GetByLabel("Log lines")).ToContainTextAsync($"request {probe}");
        await console.ScreenshotAsync(page, "logs");

        // A second release, then roll back to the first from the overview.
        await http.DeleteAsync($"v1/apps/{app}/env/CC_PRE_BUILD_HOOK");
        await File.WriteAllTextAsync(Path.Combine(work, "version.txt"), "v2");
        await GitClient.OkAsync(work, "commit", "-qam", "v2");
        Assert.Equal(0, (await GitClient.RunAsync(work, "push", remote, "main")).ExitCode);
        Assert.Contains("version=v2", (await Deployer.GetAppAsync(console.Server, app)).Body, StringComparison.Ordinal);

        await page.GotoAsync($"/#/apps/{app}");
        await page.GetByLabel("Roll back to").SelectOptionAsync(first);
        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        await page.Locator("dialog [data-confirm]").ClickAsync();

        await Expect(page.Locator("#deployment-state")).ToHaveTextAsync("succeeded", new() { Timeout = (float)DeployTimeout.TotalMilliseconds });
        Assert.Contains("version=v1", (await Deployer.GetAppAsync(console.Server, app)).Body, StringComparison.Ordinal);
        await page.GotoAsync($"/#/apps/{app}");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Instances" })).ToContainTextAsync("running");
        await console.ScreenshotAsync(page, "overview");
        await page.GotoAsync($"/#/apps/{app}/deployments");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Deployments" })).ToContainTextAsync("rollback");
        await console.ScreenshotAsync(page, "deployments");
        await page.GotoAsync($"/#/apps/{app}/metrics");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Memory per instance" })).ToBeVisibleAsync();
        await Expect(page.Locator(".legend").Last).ToContainTextAsync("MiB");
        await console.ScreenshotAsync(page, "metrics");

        // Phone width: the same page stays readable (tables become cards, nothing wider than the screen).
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/#/apps/{app}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = app })).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the overview is wider than a 390 px screen");
        await console.ScreenshotAsync(page, "overview-390");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task InvalidVariable_ShowsTheRegistrysErrorBeforeSaving_AndAValidOneSavesWithItsDiff()
    {
        const string app = "vars";
        await console.CreateAppAsync(app);
        var page = await console.SignedInPageAsync(console.Server.AdminToken);
        await page.GotoAsync($"/#/apps/{app}/variables");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a variable" }).ClickAsync();
        await page.GetByLabel("Name 1").FillAsync("CC_NODE_BUILD_TOOL");
        await page.GetByLabel("Value of CC_NODE_BUILD_TOOL").FillAsync("npn");

        // The registry's own message, as the CLI prints it, before anything is saved.
        await Expect(page.Locator("#variable-problems")).ToContainTextAsync("CC_NODE_BUILD_TOOL: \"npn\" is not accepted; use one of: npm, npm-ci");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save…" })).ToBeDisabledAsync();
        await console.ScreenshotAsync(page, "variables-invalid");
        using var http = console.Server.Http();
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>($"v1/apps/{app}/env")).GetProperty("variables").EnumerateObject());

        // A misspelt name gets the registry's did-you-mean.
        await page.GetByLabel("Value of CC_NODE_BUILD_TOOL").FillAsync("npm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a variable" }).ClickAsync();
        await page.GetByLabel("Name 2").FillAsync("CC_WORKER_COMAND");
        await page.GetByLabel("Value of CC_WORKER_COMAND").FillAsync("node worker.js");
        await Expect(page.Locator("#variable-problems")).ToContainTextAsync("did you mean CC_WORKER_COMMAND?");
        await page.GetByLabel("Name 2").FillAsync("CC_WORKER_COMMAND");
        await Expect(page.Locator("#variable-problems")).Not.ToContainTextAsync("did you mean");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save…" })).ToBeEnabledAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Save…" }).ClickAsync();
        await Expect(page.Locator("dialog")).ToContainTextAsync("+ CC_NODE_BUILD_TOOL (added)");
        await page.Locator("dialog [data-confirm]").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved:" })).ToContainTextAsync("+ CC_WORKER_COMMAND (added)");
        var saved = (await http.GetFromJsonAsync<JsonElement>($"v1/apps/{app}/env")).GetProperty("variables");
        Assert.Equal("npm", saved.GetProperty("CC_NODE_BUILD_TOOL").GetString());
        Assert.Equal("node worker.js", saved.GetProperty("CC_WORKER_COMMAND").GetString());

        // The .env view shows the same set and is checked the same way.
        await page.GetByRole(AriaRole.Button, new() { Name = ".env" }).ClickAsync();
        await Expect(page.GetByLabel(".env text")).ToHaveValueAsync(new Regex("CC_WORKER_COMMAND=\"node worker.js\""));
        await page.GetByLabel(".env text").FillAsync("CC_NODE_BUILD_TOOL=npm\nthis line has no equals sign\n");
        await Expect(page.Locator("#variable-problems")).ToContainTextAsync("line 2: expected NAME=value");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_SeesNoWriteControlsNorSecrets_AndAForgedPostIsRefused()
    {
        const string app = "readonly";
        await console.CreateAppAsync(app);
        using var http = console.Server.Http();
        await SetVariableAsync(http, app, "DATABASE_PASSWORD", "hunter2-secret");
        var page = await console.SignedInPageAsync(console.ViewerToken);

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = app, Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Form, new() { Name = "Create an app" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Tokens" })).ToHaveCountAsync(0);
        await page.GotoAsync($"/#/apps/{app}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Instances" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Actions" })).ToHaveCountAsync(0);
        await page.GotoAsync($"/#/apps/{app}/variables");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Variables" })).ToContainTextAsync("DATABASE_PASSWORD");
        Assert.Equal(0, await page.Locator("main input, main textarea, main button").CountAsync());
        Assert.DoesNotContain("hunter2-secret", await page.ContentAsync(), StringComparison.Ordinal);
        await console.ScreenshotAsync(page, "viewer-variables");

        // A script on the page (or a forged form) posting with the session cookie: refused without the CSRF token,
        // and refused by role with it.
        var forged = await page.EvaluateAsync<JsonElement>(
            @"async (app) => {
                const bare = await fetch(`/v1/apps/${app}/stop`, { method: 'POST' });
                const session = await (await fetch('/console/session')).json();
                const withToken = await fetch(`/v1/apps/${app}/stop`, { method: 'POST', headers: { 'X-Nuage-Csrf': session.csrf } });
                return { bare: bare.status, bareCode: (await bare.json()).code, withToken: withToken.status, withTokenCode: (await withToken.json()).code };
            }", app);
        Assert.Equal(403, forged.GetProperty("bare").GetInt32());
        Assert.Equal("csrf_failed", forged.GetProperty("bareCode").GetString());
        Assert.Equal(403, forged.GetProperty("withToken").GetInt32());
        Assert.Equal("forbidden", forged.GetProperty("withTokenCode").GetString());
        Assert.NotEqual("stopped", (await http.GetFromJsonAsync<JsonElement>($"v1/apps/{app}")).GetProperty("status").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Addons_CreatedAndLinkedFromThePage_AreRealServers_AndAViewerSeesNoControls()
    {
        await console.CreateAppAsync("uses-cache");
        var page = await console.SignedInPageAsync(console.Server.AdminToken);
        await page.GetByRole(AriaRole.Link, new() { Name = "Add-ons" }).ClickAsync();

        await page.GetByLabel("Add-on name").FillAsync("cache");
        await page.GetByLabel("Type").SelectOptionAsync("redis");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var row = page.Locator("tr[data-addon='cache']");
        await Expect(row).ToContainTextAsync("running", new() { Timeout = 120_000 });
        await page.GetByRole(AriaRole.Textbox, new() { Name = "App", Exact = true }).FillAsync("uses-cache");
        await page.GetByRole(AriaRole.Button, new() { Name = "Link" }).ClickAsync();
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "uses-cache" })).ToBeVisibleAsync();
        await console.ScreenshotAsync(page, "addons");

        using var http = console.Server.Http();
        var addon = await http.GetFromJsonAsync<JsonElement>("v1/addons/cache");
        Assert.Equal(["uses-cache"], addon.GetProperty("linkedApps").EnumerateArray().Select(a => a.GetString()));
        Assert.True(addon.GetProperty("pid").GetInt32() > 0);

        var viewer = await console.SignedInPageAsync(console.ViewerToken);
        await viewer.GotoAsync("/#/addons");
        await Expect(viewer.Locator("tr[data-addon='cache']")).ToBeVisibleAsync();
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
        await Expect(viewer.GetByRole(AriaRole.Form, new() { Name = "Create an add-on" })).ToHaveCountAsync(0);
        await viewer.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task OrganisationMembers_AreAddedAndChangedFromThePage_AndAViewerOnlyReadsThem()
    {
        using var http = console.Server.Http();
        (await http.PostAsJsonAsync("v1/orgs", new { name = "acme" })).EnsureSuccessStatusCode();
        var page = await console.SignedInPageAsync(console.Server.AdminToken);
        await page.GetByRole(AriaRole.Link, new() { Name = "Organisation" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "acme" }).ClickAsync();

        await page.GetByLabel("Email").FillAsync("ann@acme.test");
        await page.GetByRole(AriaRole.Form, new() { Name = "Add a member" }).GetByRole(AriaRole.Combobox).SelectOptionAsync("admin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await Expect(page.GetByLabel("Role of ann@acme.test")).ToHaveValueAsync("admin");
        await page.GetByLabel("Email").FillAsync("bo@acme.test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await page.GetByLabel("Role of bo@acme.test").SelectOptionAsync("viewer");
        await Expect(page.GetByLabel("Role of bo@acme.test")).ToHaveValueAsync("viewer");
        await console.ScreenshotAsync(page, "members");

        var members = (await http.GetFromJsonAsync<JsonElement>("v1/orgs/acme/members")).EnumerateArray()
            .ToDictionary(m => m.GetProperty("email").GetString()!, m => m.GetProperty("role").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["ann@acme.test"] = "admin", ["bo@acme.test"] = "viewer" }, members);

        // A viewer of the default organisation sees its own members, read-only, and never acme.
        var viewer = await console.SignedInPageAsync(console.ViewerToken);
        await viewer.GotoAsync("/#/orgs");
        await Expect(viewer.GetByRole(AriaRole.Heading, new() { Name = "Members · default" })).ToBeVisibleAsync();
        await Expect(viewer.GetByRole(AriaRole.Form, new() { Name = "Add a member" })).ToHaveCountAsync(0);
        await viewer.GotoAsync("/#/orgs/acme");
        await Expect(viewer.GetByText("No organisation named")).ToBeVisibleAsync();
        await viewer.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    private static async Task SetVariableAsync(HttpClient http, string app, string name, string value)
    {
        using var response = await http.PutAsJsonAsync($"v1/apps/{app}/env/{name}", new { value });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The node example, changed to log each request and to answer with version.txt, in a git work tree.</summary>
    private async Task<string> WorkTreeAsync(string version)
    {
        var work = Deployer.CopyExample(console.Server, "node");
        await File.WriteAllTextAsync(Path.Combine(work, "version.txt"), version);
        await File.WriteAllTextAsync(Path.Combine(work, "index.js"), """
            const http = require("node:http");
            const fs = require("node:fs");
            const server = http.createServer((req, res) => {
              if (req.url !== "/health") console.log(`request ${req.url}`);
              res.end(`version=${fs.readFileSync("version.txt", "utf8").trim()}\n`);
            });
            server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
            process.on("SIGTERM", () => server.close(() => process.exit(0)));
            """);
        await GitClient.OkAsync(work, "init", "-q", "--initial-branch=main");
        await GitClient.OkAsync(work, "add", "-A");
        await GitClient.OkAsync(work, "commit", "-qm", version);
        return work;
    }

    /// <summary>The id of the app's newest deployment once <paramref name="ready"/> holds for it (bounded polling).</summary>
    private static async Task<string> WaitForDeploymentAsync(HttpClient http, string app, Func<JsonElement, bool> ready)
    {
        using var timeout = new CancellationTokenSource(DeployTimeout);
        while (true)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"v1/apps/{app}/deployments?limit=1", timeout.Token);
            if (page.GetProperty("items").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } newest && ready(newest))
            {
                return newest.GetProperty("id").GetString()!;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
