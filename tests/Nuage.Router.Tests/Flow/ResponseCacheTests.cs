using System.Net;
using System.Security.Cryptography;
using Nuage.Router.Flow;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests.Flow;

/// <summary>The opt-in per-app response cache, between a real router and a real backend that counts its hits.</summary>
public sealed class ResponseCacheTests
{
    private const string Host = "web.localhost";

    [Fact]
    public async Task FreshResponse_IsServedFromTheCache_UntilItsMaxAgeEnds_ThenTheAppIsAskedAgain()
    {
        await using var env = await StartAsync(new FlowConfig { CacheSizeBytes = 16 * 1024 * 1024 });
        var url = env.Router.Url(Host, "/cache?cc=public,%20max-age=1");

        var (first, firstBody) = await GetAsync(env, url);
        var (second, secondBody) = await GetAsync(env, url);
        Assert.Equal("MISS", first.Headers.GetValues(ResponseCache.StatusHeader).Single());
        Assert.Equal("HIT", second.Headers.GetValues(ResponseCache.StatusHeader).Single());
        Assert.Equal(firstBody, secondBody);
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(1, env.Backend.Hits);

        await Task.Delay(TimeSpan.FromSeconds(1.2)); // max-age over
        var (third, _) = await GetAsync(env, url);
        Assert.Equal("MISS", third.Headers.GetValues(ResponseCache.StatusHeader).Single());
        Assert.Equal(2, env.Backend.Hits);
        Assert.Equal(1, env.Policy.Cache!.Hits);
    }

    [Theory]
    [InlineData("/cache?cc=no-store")]
    [InlineData("/cache?cc=private,%20max-age=60")]
    [InlineData("/cache?cc=no-cache")]
    [InlineData("/cache")] // no freshness information: no heuristic caching
    [InlineData("/cache?cc=max-age=60&cookie=1")] // Set-Cookie
    [InlineData("/cache?cc=max-age=60&vary=*")]
    [InlineData("/cache?cc=s-maxage=0,%20max-age=60")] // s-maxage wins for a shared cache
    public async Task ResponsesAPrivateOrUncacheable_AreNeverStored(string path)
    {
        await using var env = await StartAsync(new FlowConfig { CacheSizeBytes = 16 * 1024 * 1024 });

        await GetAsync(env, env.Router.Url(Host, path));
        await GetAsync(env, env.Router.Url(Host, path));

        Assert.Equal(2, env.Backend.Hits);
    }

    [Fact]
    public async Task RequestsWithAuthorization_AndCookiesOfAProtectedApp_BypassTheCache()
    {
        var protectedFlow = new FlowConfig
        {
            CacheSizeBytes = 16 * 1024 * 1024,
            Oidc = new OidcAuthConfig { Issuer = "http://127.0.0.1:9/realms/x", ClientId = "c", SessionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ExcludedPaths = ["/cache"] },
        };
        await using var env = await StartAsync(protectedFlow);
        var url = env.Router.Url(Host, "/cache?cc=max-age=60");
        var client = env.Router.CreateClient();

        using (var withAuth = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "Authorization", "Bearer x" } } })
        {
            (await client.SendAsync(withAuth)).Dispose();
        }

        using (var withCookie = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "Cookie", "a=b" } } })
        {
            (await client.SendAsync(withCookie)).Dispose();
        }

        using (var withCookie = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "Cookie", "a=b" } } })
        {
            (await client.SendAsync(withCookie)).Dispose();
        }

        Assert.Equal(3, env.Backend.Hits);
        Assert.Equal(0, env.Policy.Cache!.Count);
    }

    [Fact]
    public async Task VaryHeaders_KeepOneEntryPerVariant()
    {
        await using var env = await StartAsync(new FlowConfig { CacheSizeBytes = 16 * 1024 * 1024 });
        var url = env.Router.Url(Host, "/cache?cc=max-age=60&vary=X-Variant");

        var a1 = await GetAsync(env, url, ("X-Variant", "a"));
        var b1 = await GetAsync(env, url, ("X-Variant", "b"));
        var a2 = await GetAsync(env, url, ("X-Variant", "a"));
        var b2 = await GetAsync(env, url, ("X-Variant", "b"));

        Assert.Equal(2, env.Backend.Hits);
        Assert.EndsWith(":a", a2.Body, StringComparison.Ordinal);
        Assert.EndsWith(":b", b2.Body, StringComparison.Ordinal);
        Assert.Equal(a1.Body, a2.Body);
        Assert.Equal(b1.Body, b2.Body);
    }

    [Fact]
    public async Task ClientsMatchingETag_Gets304FromTheCache_WithoutAskingTheApp()
    {
        await using var env = await StartAsync(new FlowConfig { CacheSizeBytes = 16 * 1024 * 1024 });
        var url = env.Router.Url(Host, "/cache?cc=max-age=60&etag=v1");

        await GetAsync(env, url);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "If-None-Match", "\"v1\"" } } };
        using var notModified = await env.Router.CreateClient().SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(1, env.Backend.Hits);
    }

    [Theory]
    [InlineData("etag=v1")]
    [InlineData("lm=1")]
    public async Task StaleEntryWithAValidator_IsRevalidated_AndThe304RefreshesAndServesIt(string validator)
    {
        // Given an entry stored from a 200 with a validator, then stale
        await using var env = await StartAsync(new FlowConfig { CacheSizeBytes = 16 * 1024 * 1024 });
        var url = env.Router.Url(Host, $"/cache?cc=max-age=1&{validator}");
        var first = await GetAsync(env, url);
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // max-age over

        // When it is asked for again
        var revalidated = await GetAsync(env, url);
        var after = await GetAsync(env, url);

        // Then the app is asked conditionally, answers 304, and the stored body is served (fresh again: the next is a hit)
        Assert.Equal(HttpStatusCode.OK, revalidated.Response.StatusCode);
        Assert.Equal("REVALIDATED", revalidated.Response.Headers.GetValues(ResponseCache.StatusHeader).Single());
        Assert.Equal(first.Body, revalidated.Body);
        Assert.Equal("text/plain", revalidated.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("HIT", after.Response.Headers.GetValues(ResponseCache.StatusHeader).Single());
        Assert.Equal(first.Body, after.Body);
        Assert.Equal(2, env.Backend.Hits);
        Assert.Equal(1, env.Backend.NotModified);
        Assert.Equal(1, env.Policy.Cache!.Revalidations);
    }

    [Fact]
    public async Task ChangedResource_AnswersTheRevalidationInFull_WhichReplacesTheEntry_AndClientNoCacheForcesIt()
    {
        // Given a fresh entry for version v1, and the app now at v2
        await using var env = await StartAsync(new FlowConfig { CacheSizeBytes = 16 * 1024 * 1024 });
        var url = env.Router.Url(Host, "/cache?cc=max-age=60&etag=@");
        var first = await GetAsync(env, url);
        env.Backend.Version = "v2";

        // When a client asks with Cache-Control: no-cache (revalidation forced on a fresh entry)
        var forced = await GetAsync(env, url, ("Cache-Control", "no-cache"));
        var after = await GetAsync(env, url);

        // Then the app's full 200 goes to the client and replaces the entry
        Assert.Equal("MISS", forced.Response.Headers.GetValues(ResponseCache.StatusHeader).Single());
        Assert.NotEqual(first.Body, forced.Body);
        Assert.Equal("\"v2\"", forced.Response.Headers.ETag?.ToString());
        Assert.Equal("HIT", after.Response.Headers.GetValues(ResponseCache.StatusHeader).Single());
        Assert.Equal(forced.Body, after.Body);
        Assert.Equal(2, env.Backend.Hits);
        Assert.Equal(0, env.Backend.NotModified);
    }

    [Fact]
    public async Task SizeCap_EvictsTheLeastRecentlyUsed()
    {
        await using var env = await StartAsync(new FlowConfig { CacheSizeBytes = ResponseCache.MinSizeBytes });
        var cache = env.Policy.Cache!;
        var body = (int)(cache.MaxEntryBytes - 2048); // four of these do not fit in the cap
        for (var i = 0; i < 6; i++)
        {
            await GetAsync(env, env.Router.Url(Host, $"/cache?cc=max-age=60&size={body}&n={i}"));
        }

        Assert.True(cache.Size <= ResponseCache.MinSizeBytes, $"{cache.Size} bytes kept");
        Assert.InRange(cache.Count, 1, 4);
        var hitsBefore = env.Backend.Hits;
        await GetAsync(env, env.Router.Url(Host, $"/cache?cc=max-age=60&size={body}&n=5")); // the most recent: still there
        await GetAsync(env, env.Router.Url(Host, $"/cache?cc=max-age=60&size={body}&n=0")); // the oldest: evicted
        Assert.Equal(hitsBefore + 1, env.Backend.Hits);
    }

    [Fact]
    public void CacheSize_BeyondTheLimit_IsRefusedNamingTheField()
    {
        var errors = new FlowConfig { CacheSizeBytes = ResponseCache.MaxSizeBytes + 1 }.Validate();

        var error = Assert.Single(errors);
        Assert.Equal("cacheSizeBytes", error.Field);
    }

    private static async Task<(HttpResponseMessage Response, string Body)> GetAsync(CacheEnv env, Uri url, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (header is { } h)
        {
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }

        var response = await env.Router.CreateClient().SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static async Task<CacheEnv> StartAsync(FlowConfig flow)
    {
        var backend = await TestBackend.StartAsync("a");
        var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend) with { Flow = flow });
        return new CacheEnv(backend, router);
    }

    private sealed record CacheEnv(TestBackend Backend, TestRouter Router) : IAsyncDisposable
    {
        public FlowPolicy Policy => Router.Router.Table.Current.Find(Host)!.Flow!;

        public async ValueTask DisposeAsync()
        {
            await Router.DisposeAsync();
            await Backend.DisposeAsync();
        }
    }
}
