using System.Net.Http.Json;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests;

public sealed class HeadersTests
{
    [Fact]
    public async Task Request_FromUntrustedPeer_GetsFreshForwardingHeadersAndSpoofedOnesDropped()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend));
        var client = router.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, router.Url("web.localhost", "/headers"));
        request.Headers.Add("X-Forwarded-For", "6.6.6.6");
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("Forwarded", "for=6.6.6.6");

        var headers = await SendAsync(client, request);

        Assert.Equal("127.0.0.1", headers["X-Forwarded-For"]);
        Assert.Equal("http", headers["X-Forwarded-Proto"]);
        Assert.Equal($"web.localhost:{router.Port}", headers["X-Forwarded-Host"]);
        Assert.Equal(router.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), headers["X-Forwarded-Port"]);
        Assert.Equal($"for=127.0.0.1;proto=http;host=\"web.localhost:{router.Port}\"", headers["Forwarded"]);
        Assert.Equal($"web.localhost:{router.Port}", headers["Host"]);
    }

    [Fact]
    public async Task Request_FromTrustedProxy_KeepsAndExtendsTheChain()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync(new RouterOptions { TrustedProxies = ["127.0.0.0/8"] });
        router.Router.Publish(TestRouter.Route("web", backend));
        var client = router.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, router.Url("web.localhost", "/headers"));
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("Forwarded", "for=203.0.113.9;proto=https");

        var headers = await SendAsync(client, request);

        Assert.Equal("203.0.113.9, 127.0.0.1", headers["X-Forwarded-For"]);
        Assert.Equal("https", headers["X-Forwarded-Proto"]);
        Assert.Equal($"for=203.0.113.9;proto=https, for=127.0.0.1;proto=http;host=\"web.localhost:{router.Port}\"", headers["Forwarded"]);
    }

    [Fact]
    public async Task Request_WithoutRequestId_GetsOneThatTheAppAndTheClientBothSee()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend));
        var client = router.CreateClient();

        using var response = await client.GetAsync(router.Url("web.localhost", "/headers"));
        var seen = await ReadAsync(response);

        var returned = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.Matches("^[0-9a-f]{32}$", returned);
        Assert.Equal(returned, seen["X-Request-Id"]);
    }

    [Fact]
    public async Task Request_WithRequestIdAndTraceparent_PassesBothThroughUnchanged()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend));
        var client = router.CreateClient();
        const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        using var request = new HttpRequestMessage(HttpMethod.Get, router.Url("web.localhost", "/headers"));
        request.Headers.Add("X-Request-Id", "client-id-42");
        request.Headers.Add("traceparent", TraceParent);

        using var response = await client.SendAsync(request);
        var seen = await ReadAsync(response);

        Assert.Equal("client-id-42", seen["X-Request-Id"]);
        Assert.Equal(TraceParent, seen["traceparent"]);
        Assert.Equal("client-id-42", Assert.Single(response.Headers.GetValues("X-Request-Id")));
    }

    private static async Task<Dictionary<string, string>> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await ReadAsync(response);
    }

    private static async Task<Dictionary<string, string>> ReadAsync(HttpResponseMessage response)
    {
        var headers = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        return new Dictionary<string, string>(headers!, StringComparer.OrdinalIgnoreCase);
    }
}
