using System.Diagnostics;
using System.Net;
using Nuage.Core.Errors;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests.Security;

/// <summary>
/// The router reads static sites as root, from releases an app built: links, traversal in every encoding, hidden
/// files, a FIFO and a linked web root must never give a byte from outside the release (here: secret.txt beside it)
/// nor hang the router.
/// </summary>
public sealed class StaticSiteAttackTests : IDisposable
{
    private readonly SiteTree _tree = new();

    [Fact]
    public async Task SymbolicLinks_OutOfTheRelease_AreNeverFollowed()
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "index.html", "home");
        SiteTree.Write(release, "sub/page.html", "page");
        File.CreateSymbolicLink(Path.Combine(release, "leak.txt"), "../../secret.txt");
        File.CreateSymbolicLink(Path.Combine(release, "absolute.txt"), _tree.SecretPath);
        Directory.CreateSymbolicLink(Path.Combine(release, "up"), "../..");
        Directory.CreateSymbolicLink(Path.Combine(release, "sub", "back"), "../../..");
        File.CreateSymbolicLink(Path.Combine(release, "inside.html"), "index.html"); // even a link that stays inside: links are not served
        await using var router = await PublishAsync(release);
        var client = router.CreateClient();

        foreach (var path in new[] { "/leak.txt", "/absolute.txt", "/up/secret.txt", "/sub/back/secret.txt", "/up/", "/inside.html" })
        {
            using var answer = await client.GetAsync(router.Url("site.localhost", path));
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, $"{path}: {answer.StatusCode}");
            Assert.DoesNotContain(SiteTree.SecretText, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LinkedSiblingsAnd404Page_AreNotFollowedEither()
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "index.html", "home");
        File.CreateSymbolicLink(Path.Combine(release, "index.html.br"), _tree.SecretPath);
        File.CreateSymbolicLink(Path.Combine(release, "index.html.gz"), "../../secret.txt");
        File.CreateSymbolicLink(Path.Combine(release, "404.html"), _tree.SecretPath);
        await using var router = await PublishAsync(release);
        var client = router.CreateClient();

        using var compressed = new HttpRequestMessage(HttpMethod.Get, router.Url("site.localhost"));
        compressed.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");
        using var home = await client.SendAsync(compressed);
        using var missing = await client.GetAsync(router.Url("site.localhost", "/missing"));

        Assert.Equal("home", await home.Content.ReadAsStringAsync());
        Assert.Empty(home.Content.Headers.ContentEncoding);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.DoesNotContain(SiteTree.SecretText, await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/../secret.txt")]
    [InlineData("/../../secret.txt")]
    [InlineData("/%2e%2e/%2e%2e/secret.txt")]
    [InlineData("/%2E%2E/%2E%2E/secret.txt")]
    [InlineData("/..%2f..%2fsecret.txt")]
    [InlineData("/..%2F..%2Fsecret.txt")]
    [InlineData("/sub/..%2f..%2f..%2fsecret.txt")]
    [InlineData("/%252e%252e/%252e%252e/secret.txt")]
    [InlineData("/..\\..\\secret.txt")]
    [InlineData("/%2e%2e%5c%2e%2e%5csecret.txt")]
    [InlineData("/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt")]
    [InlineData("/.%2e/.%2e/secret.txt")]
    [InlineData("//../../secret.txt")]
    [InlineData("/sub/%00/../../secret.txt")]
    public async Task Traversal_InAnyEncoding_NeverLeavesTheRelease(string target)
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "index.html", "home");
        SiteTree.Write(release, "sub/page.html", "page");
        await using var router = await PublishAsync(release);

        var answer = await router.SendRawAsync($"GET {target} HTTP/1.1\r\nHost: site.localhost\r\nConnection: close\r\n\r\n");

        Assert.DoesNotContain(SiteTree.SecretText, answer, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP/1.1 200", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/.env")]
    [InlineData("/.ENV")]
    [InlineData("/%2eenv")]
    [InlineData("/%2Eenv")]
    [InlineData("/.git/config")]
    [InlineData("/.GIT/config")]
    [InlineData("/sub/.hidden")]
    [InlineData("/Index.HTML/../.env")]
    public async Task HiddenFiles_InAnyCaseOrEncoding_AreNotServed(string target)
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "index.html", "home");
        SiteTree.Write(release, ".env", SiteTree.SecretText);
        SiteTree.Write(release, ".ENV", SiteTree.SecretText);
        SiteTree.Write(release, ".git/config", SiteTree.SecretText);
        SiteTree.Write(release, ".GIT/config", SiteTree.SecretText);
        SiteTree.Write(release, "sub/.hidden", SiteTree.SecretText);
        await using var router = await PublishAsync(release);

        var answer = await router.SendRawAsync($"GET {target} HTTP/1.1\r\nHost: site.localhost\r\nConnection: close\r\n\r\n");

        Assert.DoesNotContain(SiteTree.SecretText, answer, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fifo_InTheRelease_IsRefusedWithoutBlocking()
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "index.html", "home");
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(release, "pipe.html")))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        await using var router = await PublishAsync(release);
        var client = router.CreateClient(TimeSpan.FromSeconds(20));

        using var answer = await client.GetAsync(router.Url("site.localhost", "/pipe.html"));

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Fact]
    public async Task LinkedWebRoot_IsRefusedAtPublishAndByTheHealthGate()
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "index.html", "home");
        Directory.CreateSymbolicLink(Path.Combine(release, "dist"), "..");
        Directory.CreateDirectory(Path.Combine(release, "real"));
        Directory.CreateSymbolicLink(Path.Combine(release, "real", "out"), "/");
        await using var router = await TestRouter.StartAsync();

        var linked = Assert.Throws<NuageException>(() => router.Router.Publish(SiteTree.Route("site", SiteTree.Site(release, webRoot: "dist"))));
        Assert.Throws<NuageException>(() => router.Router.Publish(SiteTree.Route("site", SiteTree.Site(release, webRoot: "real/out"))));

        Assert.Equal(ErrorCodes.InvalidRoute, linked.Code);
        Assert.False(NuageRouter.CheckStaticSite(SiteTree.Site(release, webRoot: "dist"), []).Healthy);
        Assert.False(NuageRouter.CheckStaticSite(SiteTree.Site(release, webRoot: "../.."), []).Healthy);
    }

    public void Dispose() => _tree.Dispose();

    private async Task<TestRouter> PublishAsync(string release)
    {
        var router = await TestRouter.StartAsync();
        router.Router.Publish(SiteTree.Route("site", SiteTree.Site(release)));
        return router;
    }
}
