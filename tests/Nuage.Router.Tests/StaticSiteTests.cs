using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Nuage.Core.Logging;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests;

/// <summary>The router serving a release directory itself (static sites without an instance process), over real HTTP.</summary>
public sealed class StaticSiteTests : IDisposable
{
    private readonly SiteTree _tree = new();

    [Fact]
    public async Task Root_ServesIndexWithTypeValidatorsAndLength()
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "index.html", "<h1>home</h1>");
        SiteTree.Write(release, "app.css", "body{}");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(SiteTree.Route("site", SiteTree.Site(release)));
        var client = router.CreateClient();

        using var home = await client.GetAsync(router.Url("site.localhost"));
        using var css = await client.GetAsync(router.Url("site.localhost", "/app.css"));

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal("<h1>home</h1>", await home.Content.ReadAsStringAsync());
        Assert.Equal("text/html", home.Content.Headers.ContentType!.MediaType);
        Assert.Equal(13, home.Content.Headers.ContentLength);
        Assert.NotNull(home.Headers.ETag);
        Assert.NotNull(home.Content.Headers.LastModified);
        Assert.Equal("bytes", Assert.Single(home.Headers.AcceptRanges));
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        for (var i = 0; i < 200 && !router.Sink.Records.Any(r => r.Source == LogSource.Access); i++)
        {
            await Task.Delay(50); // the access log is written by a background loop
        }

        Assert.Contains(router.Sink.Records, r => r.Source == LogSource.Access && r.Message.Contains("status=200", StringComparison.Ordinal) && r.InstanceId == "dep-1-static");
    }

    [Fact]
    public async Task Folder_WithoutSlash_RedirectsThenServesItsIndex()
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "docs/index.htm", "docs");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(SiteTree.Route("site", SiteTree.Site(release)));
        var client = router.CreateClient();

        using var redirect = await client.GetAsync(router.Url("site.localhost", "/docs?x=1"));
        using var index = await client.GetAsync(router.Url("site.localhost", "/docs/"));

        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("/docs/?x=1", redirect.Headers.Location!.OriginalString);
        Assert.Equal("docs", await index.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebRoot_ServesOnlyThatFolder()
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "dist/index.html", "built");
        SiteTree.Write(release, "package.json", "{}");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(SiteTree.Route("site", SiteTree.Site(release, webRoot: "dist")));
        var client = router.CreateClient();

        Assert.Equal("built", await client.GetStringAsync(router.Url("site.localhost")));
        using var outside = await client.GetAsync(router.Url("site.localhost", "/package.json"));
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
    }

    [Fact]
    public async Task ConditionalRequests_AnswerNotModified()
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "index.html", "cached");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(SiteTree.Route("site", SiteTree.Site(release)));
        var client = router.CreateClient();
        using var first = await client.GetAsync(router.Url("site.localhost"));

        using var byTag = new HttpRequestMessage(HttpMethod.Get, router.Url("site.localhost"));
        byTag.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var tagged = await client.SendAsync(byTag);
        using var byDate = new HttpRequestMessage(HttpMethod.Get, router.Url("site.localhost"));
        byDate.Headers.IfModifiedSince = first.Content.Headers.LastModified;
        using var dated = await client.SendAsync(byDate);
        using var stale = new HttpRequestMessage(HttpMethod.Get, router.Url("site.localhost"));
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\""));
        using var changed = await client.SendAsync(stale);

        Assert.Equal(HttpStatusCode.NotModified, tagged.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, dated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("cached", await changed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ranges_ServeTheRequestedBytes()
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "data.bin", "0123456789");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(SiteTree.Route("site", SiteTree.Site(release)));
        var client = router.CreateClient();
        var url = router.Url("site.localhost", "/data.bin");
        var etag = (await client.GetAsync(url)).Headers.ETag!;

        using var middle = await client.SendAsync(WithRange(url, "bytes=2-4"));
        using var suffix = await client.SendAsync(WithRange(url, "bytes=-3"));
        using var beyond = await client.SendAsync(WithRange(url, "bytes=20-"));
        var fresh = WithRange(url, "bytes=0-0");
        fresh.Headers.TryAddWithoutValidation("If-Range", etag.Tag);
        using var freshAnswer = await client.SendAsync(fresh);
        var stale = WithRange(url, "bytes=0-0");
        stale.Headers.TryAddWithoutValidation("If-Range", "\"stale\"");
        using var staleAnswer = await client.SendAsync(stale);

        Assert.Equal(HttpStatusCode.PartialContent, middle.StatusCode);
        Assert.Equal("234", await middle.Content.ReadAsStringAsync());
        Assert.Equal("bytes 2-4/10", middle.Content.Headers.ContentRange!.ToString());
        Assert.Equal("789", await suffix.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal("bytes */10", beyond.Content.Headers.ContentRange!.ToString());
        Assert.Equal("0", await freshAnswer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, staleAnswer.StatusCode);
        Assert.Equal("0123456789", await staleAnswer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PrecompressedSiblings_AreServedToClientsThatAcceptThem()
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "app.js", "plain");
        SiteTree.Write(release, "app.js.br", "brotli-bytes");
        SiteTree.Write(release, "app.js.gz", "gzip-bytes");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(SiteTree.Route("site", SiteTree.Site(release)));
        var client = router.CreateClient();
        var url = router.Url("site.localhost", "/app.js");

        using var br = await client.SendAsync(WithEncoding(url, "gzip, deflate, br"));
        using var gzip = await client.SendAsync(WithEncoding(url, "gzip"));
        using var refused = await client.SendAsync(WithEncoding(url, "br;q=0, identity"));
        using var none = await client.GetAsync(url);

        Assert.Equal("br", Assert.Single(br.Content.Headers.ContentEncoding));
        Assert.Equal("brotli-bytes", Encoding.UTF8.GetString(await br.Content.ReadAsByteArrayAsync()));
        Assert.Contains("Accept-Encoding", br.Headers.Vary);
        Assert.Equal("text/javascript", br.Content.Headers.ContentType!.MediaType);
        Assert.Equal("gzip", Assert.Single(gzip.Content.Headers.ContentEncoding));
        Assert.Equal("gzip-bytes", Encoding.UTF8.GetString(await gzip.Content.ReadAsByteArrayAsync()));
        Assert.NotEqual(br.Headers.ETag, gzip.Headers.ETag);
        Assert.Empty(refused.Content.Headers.ContentEncoding);
        Assert.Equal("plain", await refused.Content.ReadAsStringAsync());
        Assert.Equal("plain", await none.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Missing_AnswersTheSites404PageOrTheBuiltInOne()
    {
        var withPage = _tree.Release("r1");
        SiteTree.Write(withPage, "index.html", "home");
        SiteTree.Write(withPage, "404.html", "custom missing");
        var without = _tree.Release("r2");
        SiteTree.Write(without, "index.html", "home");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(SiteTree.Route("custom", SiteTree.Site(withPage, "dep-c-static")));
        router.Router.Publish(SiteTree.Route("plain", SiteTree.Site(without, "dep-p-static")));
        var client = router.CreateClient();

        using var custom = await client.GetAsync(router.Url("custom.localhost", "/nope"));
        using var plain = await client.GetAsync(router.Url("plain.localhost", "/nope"));
        using var post = await client.PostAsync(router.Url("plain.localhost", "/"), new StringContent("x"));

        Assert.Equal(HttpStatusCode.NotFound, custom.StatusCode);
        Assert.Equal("custom missing", await custom.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, plain.StatusCode);
        Assert.Contains("404 Not Found", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task SpaFallback_AnswersTheIndexForUnknownPaths()
    {
        var release = _tree.Release("r1");
        SiteTree.Write(release, "index.html", "spa shell");
        SiteTree.Write(release, "asset.txt", "asset");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(SiteTree.Route("spa", SiteTree.Site(release) with { SpaFallback = true }));
        var client = router.CreateClient();

        using var deep = await client.GetAsync(router.Url("spa.localhost", "/users/42/settings"));

        Assert.Equal(HttpStatusCode.OK, deep.StatusCode);
        Assert.Equal("spa shell", await deep.Content.ReadAsStringAsync());
        Assert.Equal("asset", await client.GetStringAsync(router.Url("spa.localhost", "/asset.txt")));
    }

    [Fact]
    public async Task Switch_ToANewRelease_ServesItAndDrainsTheOldServing()
    {
        var first = _tree.Release("r1");
        SiteTree.Write(first, "index.html", "one");
        var second = _tree.Release("r2");
        SiteTree.Write(second, "index.html", "two");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(SiteTree.Route("site", SiteTree.Site(first, "dep-1-static")));
        var client = router.CreateClient();
        Assert.Equal("one", await client.GetStringAsync(router.Url("site.localhost")));

        router.Router.Publish(SiteTree.Route("site", SiteTree.Site(second, "dep-2-static")));
        var drain = await router.Router.DrainAsync(["dep-1-static"], TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(drain.Completed);
        Assert.Equal("two", await client.GetStringAsync(router.Url("site.localhost")));
    }

    [Fact]
    public void HealthGate_FailsWithoutIndexOrHealthPathFile()
    {
        var empty = _tree.Release("r1");
        var site = _tree.Release("r2");
        SiteTree.Write(site, "index.html", "ok");
        SiteTree.Write(site, "health.txt", "ok");

        Assert.False(NuageRouter.CheckStaticSite(SiteTree.Site(empty), []).Healthy);
        Assert.True(NuageRouter.CheckStaticSite(SiteTree.Site(site), []).Healthy);
        Assert.True(NuageRouter.CheckStaticSite(SiteTree.Site(site), ["/health.txt"]).Healthy);
        Assert.False(NuageRouter.CheckStaticSite(SiteTree.Site(site), ["/missing"]).Healthy);
        Assert.False(NuageRouter.CheckStaticSite(SiteTree.Site(site, webRoot: "nope"), []).Healthy);
    }

    public void Dispose() => _tree.Dispose();

    private static HttpRequestMessage WithRange(Uri url, string range)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Range", range);
        return request;
    }

    private static HttpRequestMessage WithEncoding(Uri url, string encodings)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", encodings);
        return request;
    }
}
