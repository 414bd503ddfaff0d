using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nuage.Router.Flow;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests.Security;

/// <summary>
/// Attacks on a basic-auth protected app: forged identity headers (even through a trusted proxy), the password reaching the
/// app, user enumeration by timing, and the health path as a way in.
/// </summary>
public sealed class BasicAuthAttackTests
{
    private static readonly FlowConfig Protected = new()
    {
        BasicAuth = new BasicAuthConfig { Users = [new BasicAuthUser("alice", BasicAuthHashes.Hash("correct horse"))] },
    };

    [Fact]
    public async Task ForgedIdentityHeaders_FromATrustedProxy_NeverReachAProtectedApp_NorDoesThePassword()
    {
        // Given a router that trusts its peer's forwarding headers (a proxy in front), and a protected app
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync(new RouterOptions { TrustedProxies = ["127.0.0.0/8"] });
        router.Router.Publish(TestRouter.Route("web", backend) with { Flow = Protected });
        using var request = new HttpRequestMessage(HttpMethod.Get, router.Url("web.localhost", "/headers"));
        request.Headers.Authorization = Basic("alice", "correct horse");
        foreach (var header in new[] { "X-Forwarded-User", "X-Forwarded-Email", "X-Forwarded-Groups", "X-Auth-Request-User", "Remote-User" })
        {
            request.Headers.TryAddWithoutValidation(header, "admin");
        }

        // When an authenticated client also sends identity headers of its own
        using var response = await router.CreateClient().SendAsync(request);

        // Then the app sees only the router's X-Forwarded-User, and never the credentials
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = JsonSerializer.Deserialize<Dictionary<string, string>>(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("alice", seen["X-Forwarded-User"]);
        Assert.DoesNotContain(seen, h => h.Value.Contains("admin", StringComparison.Ordinal));
        Assert.False(seen.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task NoOrWrongCredentials_Get401WithAChallenge_AndNothingReachesTheApp()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend) with { Flow = Protected, HealthPaths = ["/health"] });
        var client = router.CreateClient();

        using var none = await client.GetAsync(router.Url("web.localhost", "/"));
        using var wrong = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, router.Url("web.localhost", "/")) { Headers = { Authorization = Basic("alice", "wrong") } });
        using var unknown = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, router.Url("web.localhost", "/")) { Headers = { Authorization = Basic("mallory", "correct horse") } });
        using var garbage = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, router.Url("web.localhost", "/")) { Headers = { Authorization = new AuthenticationHeaderValue("Basic", "%%%") } });

        foreach (var response in new[] { none, wrong, unknown, garbage })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic realm=\"Restricted\", charset=\"UTF-8\"", response.Headers.WwwAuthenticate.ToString());
        }

        Assert.Equal(0, backend.Hits);

        // The health path stays open (a load balancer or uptime probe needs no password), and only that exact path
        using var health = await client.GetAsync(router.Url("web.localhost", "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var beside = await client.GetAsync(router.Url("web.localhost", "/healthz"));
        Assert.Equal(HttpStatusCode.Unauthorized, beside.StatusCode);
    }

    [Fact]
    public void UnknownUser_CostsTheSameKeyDerivationAsAWrongPassword()
    {
        // A wrong user name must not answer faster than a wrong password (that would tell which users exist)
        var gate = new BasicAuthGate(Protected.BasicAuth!);

        Assert.Null(gate.Authenticate(Basic("mallory", "x").ToString()));
        var afterUnknown = gate.Derivations;
        Assert.Null(gate.Authenticate(Basic("alice", "x").ToString()));

        Assert.Equal(1, afterUnknown);
        Assert.Equal(2, gate.Derivations);
        Assert.Equal("alice", gate.Authenticate(Basic("alice", "correct horse").ToString()));
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
