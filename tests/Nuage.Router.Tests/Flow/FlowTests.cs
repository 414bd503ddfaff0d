using System.Net;
using System.Net.Http.Headers;
using Nuage.Router.Flow;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests.Flow;

/// <summary>Per-app request flow in a real router in front of a real Kestrel backend: redirects, rewrites, headers, compression.</summary>
public sealed class FlowTests
{
    [Fact]
    public async Task ForceHttpsAndCanonicalHost_Redirect308_KeepingPathAndQuery()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend) with { CustomDomains = ["example.test", "www.example.test"], Flow = new FlowConfig { CanonicalHost = "www.example.test" } });
        var client = router.CreateClient();

        using var apex = await client.GetAsync(router.Url("example.test", "/a/b?x=1"));
        Assert.Equal(HttpStatusCode.PermanentRedirect, apex.StatusCode);
        Assert.Equal($"http://www.example.test:{router.Port}/a/b?x=1", apex.Headers.Location!.ToString());
        Assert.Equal(0, backend.Hits);
        Assert.Equal("a", await client.GetStringAsync(router.Url("www.example.test", "/")));

        router.Router.Publish(TestRouter.Route("web", backend) with { Flow = new FlowConfig { ForceHttps = true } });
        using var plain = await client.GetAsync(router.Url("web.localhost", "/p?q=2"));
        Assert.Equal(HttpStatusCode.PermanentRedirect, plain.StatusCode);
        Assert.Equal("https://web.localhost/p?q=2", plain.Headers.Location!.ToString());
    }

    [Fact]
    public async Task PathRules_FirstMatchApplies_RedirectWithGroups_RewriteChangesThePathTheAppSees()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend) with
        {
            Flow = new FlowConfig
            {
                Rules =
                [
                    new FlowRule(FlowRuleKinds.Redirect, "^/old/(.*)$", "/new/$1") { Status = 301 },
                    new FlowRule(FlowRuleKinds.Rewrite, "^/api/v1/(.*)$", "/$1"),
                    new FlowRule(FlowRuleKinds.Redirect, "^/api/(.*)$", "https://elsewhere.test/$1"),
                ],
            },
        });
        var client = router.CreateClient();

        using var moved = await client.GetAsync(router.Url("web.localhost", "/old/page?k=v"));
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal("/new/page?k=v", moved.Headers.Location!.OriginalString);

        using var rewritten = await client.GetAsync(router.Url("web.localhost", "/api/v1/headers"));
        Assert.Equal(HttpStatusCode.OK, rewritten.StatusCode);
        Assert.Contains("/headers", backend.Paths);
        Assert.DoesNotContain("/api/v1/headers", backend.Paths);

        using var away = await client.GetAsync(router.Url("web.localhost", "/api/x"));
        Assert.Equal("https://elsewhere.test/x", away.Headers.Location!.ToString());
    }

    [Fact]
    public async Task ResponseHeaders_AreSetOnTheAppsAnswers_ReplacingTheAppsValue()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend) with
        {
            Flow = new FlowConfig { Headers = [new("Strict-Transport-Security", "max-age=300"), new("X-Frame-Options", "DENY")] },
        });

        using var response = await router.CreateClient().GetAsync(router.Url("web.localhost", "/"));

        Assert.Equal("max-age=300", response.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Compression_OnlyForAppsThatTurnItOn_OnlyWhenAccepted_AndNotForSmallBodies()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("on", backend) with { Flow = new FlowConfig { Compression = true } });
        router.Router.Publish(TestRouter.Route("off", backend));
        var client = router.CreateClient();

        // /headers answers JSON of the request headers: padded past the 1 KiB floor with a long header
        async Task<HttpResponseMessage> GetAsync(string host, string? encoding, int pad)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, router.Url(host, "/headers"));
            request.Headers.TryAddWithoutValidation("X-Pad", new string('p', pad));
            if (encoding is not null)
            {
                request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
            }

            return await client.SendAsync(request);
        }

        using var brotli = await GetAsync("on.localhost", "br", 4000);
        Assert.Equal("br", Assert.Single(brotli.Content.Headers.ContentEncoding));
        using var gzip = await GetAsync("on.localhost", "gzip", 4000);
        Assert.Equal("gzip", Assert.Single(gzip.Content.Headers.ContentEncoding));
        Assert.True((await gzip.Content.ReadAsByteArrayAsync()).Length < 1000);
        using var notAccepted = await GetAsync("on.localhost", null, 4000);
        Assert.Empty(notAccepted.Content.Headers.ContentEncoding);
        using var otherApp = await GetAsync("off.localhost", "gzip", 4000);
        Assert.Empty(otherApp.Content.Headers.ContentEncoding);
        using var small = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, router.Url("on.localhost", "/")) { Headers = { AcceptEncoding = { new StringWithQualityHeaderValue("gzip") } } });
        Assert.Empty(small.Content.Headers.ContentEncoding);
        Assert.Equal("a", await small.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AcmeChallenge_IsAnswered_ForItsHostOnly_UntilWithdrawn_AndTravelsInSnapshots()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend) with { CustomDomains = ["shop.example.test"], Flow = new FlowConfig { ForceHttps = true } });
        router.Router.SetAcmeChallenge("shop.example.test", "tok_EN-1", "tok_EN-1.thumb");
        var client = router.CreateClient();

        // Answered even though the app forces HTTPS (the CA validates over plain HTTP)
        Assert.Equal("tok_EN-1.thumb", await client.GetStringAsync(router.Url("shop.example.test", "/.well-known/acme-challenge/tok_EN-1")));

        // A router process gets the answer in the snapshot (sent as JSON over its socket)
        var json = System.Text.Json.JsonSerializer.Serialize(router.Router.Snapshot(new Standalone.SnapshotGeneration(1, 1)), Standalone.RouterJson.Options);
        await using var replica = await TestRouter.StartAsync();
        Assert.True(replica.Router.Apply(System.Text.Json.JsonSerializer.Deserialize<Standalone.RouteSnapshot>(json, Standalone.RouterJson.Options)!));
        Assert.Equal("tok_EN-1.thumb", await replica.CreateClient().GetStringAsync(replica.Url("shop.example.test", "/.well-known/acme-challenge/tok_EN-1")));
        using var replicaRedirect = await replica.CreateClient().GetAsync(replica.Url("shop.example.test", "/page")); // the app's flow travelled too
        Assert.Equal(HttpStatusCode.PermanentRedirect, replicaRedirect.StatusCode);

        router.Router.RemoveAcmeChallenge("shop.example.test", "tok_EN-1");
        using var after = await client.GetAsync(router.Url("shop.example.test", "/.well-known/acme-challenge/tok_EN-1"));
        Assert.Equal(HttpStatusCode.PermanentRedirect, after.StatusCode); // the app's own rules again
    }
}
