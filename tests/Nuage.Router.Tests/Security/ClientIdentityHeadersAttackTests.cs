using System.Net.Http.Json;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests.Security;

/// <summary>
/// A client forges its identity with forwarding headers in spellings the router did not strip (underscores, vendor
/// names). CGI-style app servers map X_Forwarded_For and X-Forwarded-For to one HTTP_X_FORWARDED_FOR variable, so a
/// forged header that survives can win over the router's own. The app must see only the router's values.
/// </summary>
public sealed class ClientIdentityHeadersAttackTests
{
    private const string Forged = "6.6.6.6";

    private static readonly string[] ForgedHeaders =
    [
        "X_Forwarded_For", "x_forwarded_proto", "X_Forwarded_Host", "X-FORWARDED-FOR-ORIGINAL", "X-Forwarded-Server",
        "X-Forwarded-Ssl", "X_Real_IP", "X-Real-IP", "True-Client-IP", "True_Client_IP", "X-Client-IP", "Client-IP",
        "CF-Connecting-IP", "Fastly-Client-IP", "X-Cluster-Client-IP", "X-Original-Forwarded-For", "Forwarded-For",
        "X-Forwarded", "X-Originating-IP", "X-Remote-Addr", "Forwarded",
    ];

    [Fact]
    public async Task ForgedIdentityHeaders_FromAnUntrustedClient_NeverReachTheApp()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend));
        using var request = new HttpRequestMessage(HttpMethod.Get, router.Url("web.localhost", "/headers"));
        foreach (var name in ForgedHeaders)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, Forged), name);
        }

        var seen = await SendAsync(router.CreateClient(), request);

        var leaked = seen.Where(h => h.Value.Contains(Forged, StringComparison.Ordinal)).Select(h => $"{h.Key}: {h.Value}").ToList();
        Assert.True(leaked.Count == 0, "forged headers reached the app: " + string.Join("; ", leaked));
        Assert.Equal("127.0.0.1", seen["X-Forwarded-For"]);
        Assert.Equal("http", seen["X-Forwarded-Proto"]);
        Assert.Equal($"web.localhost:{router.Port}", seen["X-Forwarded-Host"]);
    }

    [Fact]
    public async Task UnderscoreSpellings_FromATrustedProxy_AreStillDroppedWhileTheChainIsKept()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync(new RouterOptions { TrustedProxies = ["127.0.0.0/8"] });
        router.Router.Publish(TestRouter.Route("web", backend));
        using var request = new HttpRequestMessage(HttpMethod.Get, router.Url("web.localhost", "/headers"));
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X_Forwarded_For", Forged);
        request.Headers.TryAddWithoutValidation("X_Real_IP", Forged);

        var seen = await SendAsync(router.CreateClient(), request);

        Assert.Equal("203.0.113.9, 127.0.0.1", seen["X-Forwarded-For"]);
        Assert.DoesNotContain(seen, h => h.Value.Contains(Forged, StringComparison.Ordinal));
    }

    private static async Task<Dictionary<string, string>> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var headers = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        return new Dictionary<string, string>(headers!, StringComparer.OrdinalIgnoreCase);
    }
}
