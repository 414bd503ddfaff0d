using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.WebConsole;

/// <summary>
/// What keeps a console page load to a few requests: versioned files a browser may keep, a session answer that says who
/// the session is, and an app listing that carries each app's newest deployment.
/// </summary>
public sealed partial class ConsolePageLoadTests
{
    [Fact]
    public async Task Page_LinksItsFilesUnderOneVersion_ServedImmutable_WhileOtherVersionsAreRevalidated()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url + "/") };

        var page = await http.GetStringAsync("");
        var links = VersionedLink().Matches(page).Select(m => (Version: m.Groups[1].Value, File: m.Groups[2].Value)).ToList();

        Assert.Contains(links, l => l.File == "app.js");
        Assert.Contains(links, l => l.File == "style.css");
        var version = Assert.Single(links.Select(l => l.Version).Distinct());
        using var module = await http.GetAsync($"console/v/{version}/api.js"); // imported relatively by app.js
        Assert.Equal(HttpStatusCode.OK, module.StatusCode);
        Assert.Contains("immutable", module.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var stale = await http.GetAsync("console/v/0123456789ab/api.js");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.True(stale.Headers.CacheControl?.NoCache, "a file asked for under another version must be checked again, never kept");
        using var pageAgain = await http.GetAsync("");
        Assert.True(pageAgain.Headers.CacheControl?.NoCache, "the page itself is always checked again");
    }

    [Fact]
    public async Task Session_SaysWhoItActsAs_WithoutASecondRequest()
    {
        await using var server = await RunningServer.StartAsync();
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(server.Url + "/") };

        var signedIn = await (await browser.PostAsJsonAsync("console/session", new { token = server.AdminToken })).Content.ReadFromJsonAsync<JsonElement>();
        var current = await browser.GetFromJsonAsync<JsonElement>("console/session");
        using var admin = server.Http();
        var whoami = await admin.GetFromJsonAsync<JsonElement>("v1/whoami");

        foreach (var answer in new[] { signedIn, current })
        {
            Assert.Equal(whoami.GetProperty("operator").GetBoolean(), answer.GetProperty("operator").GetBoolean());
            Assert.Equal(whoami.TryGetProperty("org", out var org) ? org.GetString() : null, answer.TryGetProperty("org", out var o) ? o.GetString() : null);
        }
    }

    [Fact]
    public async Task AppListing_CarriesEachAppsNewestDeployment_AndNoneBeforeTheFirst()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();
        await http.PostAsJsonAsync("v1/apps", new { name = "deployed", runtime = "static" });
        await http.PostAsJsonAsync("v1/apps", new { name = "fresh", runtime = "static" });
        await Deployer.DeployOkAsync(server, "deployed", Deployer.Example("static"));
        var second = await Deployer.DeployOkAsync(server, "deployed", Deployer.Example("static"));

        var listing = await http.GetFromJsonAsync<JsonElement>("v1/apps");
        var single = await http.GetFromJsonAsync<JsonElement>("v1/apps/deployed");

        var items = listing.GetProperty("items").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        var last = items["deployed"].GetProperty("lastDeployment");
        Assert.Equal(second.GetProperty("id").GetString(), last.GetProperty("id").GetString());
        Assert.Equal("succeeded", last.GetProperty("state").GetString());
        Assert.Equal(last.GetRawText(), single.GetProperty("lastDeployment").GetRawText());
        Assert.False(items["fresh"].TryGetProperty("lastDeployment", out _), "an app never deployed has no last deployment (nulls are left out)");
    }

    [GeneratedRegex("\"/console/v/([0-9a-f]+)/([a-z.-]+)\"")]
    private static partial Regex VersionedLink();
}
