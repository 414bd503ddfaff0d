using System.Net;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests.Security;

/// <summary>
/// The ACME challenge path is public and answered by the router itself: it must answer only a published token for its own
/// host, never a file, and never let one domain's order be validated through another host.
/// </summary>
public sealed class AcmeChallengeAttackTests
{
    [Fact]
    public async Task TokenPublishedForOneDomain_IsNotAnsweredOnAnotherHost()
    {
        // Given an order in progress for victim.test, and an attacker's app on attacker.test served by the same router
        await using var victim = await TestBackend.StartAsync("victim");
        await using var attacker = await TestBackend.StartAsync("attacker");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("victim", victim) with { CustomDomains = ["victim.test"] });
        router.Router.Publish(TestRouter.Route("attacker", attacker) with { CustomDomains = ["attacker.test"] });
        router.Router.SetAcmeChallenge("victim.test", "secret-token", "secret-token.thumbprint");
        var client = router.CreateClient();

        // When the token is asked on the other host, the answer is that app's own (the key authorization is not given)
        var other = await client.GetStringAsync(router.Url("attacker.test", "/.well-known/acme-challenge/secret-token"));
        Assert.Equal("attacker", other);
        Assert.Equal("secret-token.thumbprint", await client.GetStringAsync(router.Url("VICTIM.test", "/.well-known/acme-challenge/secret-token")));
    }

    [Theory]
    [InlineData("/.well-known/acme-challenge/../../../../etc/passwd")]
    [InlineData("/.well-known/acme-challenge/%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("/.well-known/acme-challenge/tok.")]
    [InlineData("/.well-known/acme-challenge/tok%00")]
    [InlineData("/.well-known/acme-challenge/")]
    public async Task TraversalAndMalformedTokens_NeverServeAFileNorAnAnswer(string path)
    {
        await using var backend = await TestBackend.StartAsync("app");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend) with { CustomDomains = ["site.test"] });
        router.Router.SetAcmeChallenge("site.test", "tok", "tok.thumbprint");

        var answer = await router.SendRawAsync($"GET {path} HTTP/1.1\r\nHost: site.test\r\nConnection: close\r\n\r\n");

        Assert.DoesNotContain("root:", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("tok.thumbprint", answer, StringComparison.Ordinal);
    }
}
