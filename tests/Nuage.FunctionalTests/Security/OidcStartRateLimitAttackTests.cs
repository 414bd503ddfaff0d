using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Nuage.Core.Errors;
using Nuage.FunctionalTests.Identity;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Api;
using Nuage.Server.Oidc;

namespace Nuage.FunctionalTests.Security;

/// <summary>
/// The anonymous sign-in starts (device flow, console, terminal browser flow) share a per-address budget, so one
/// client cannot fill the pending table or turn the server against the issuer: past it, 429 with Retry-After.
/// </summary>
public sealed class OidcStartRateLimitAttackTests
{
    [Fact]
    public async Task DeviceStartsFromOneAddress_PastTheLimit_Get429WithRetryAfter_AndTheConsoleStartSharesTheBudget()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await RunningServer.StartAsync(o => o with
        {
            Oidc = OidcOptions.From([provider.Issuer], ["nuage-cli"]) with { StartLimit = 3 },
        });
        using var anonymous = server.Http(token: "");
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await anonymous.PostAsJsonAsync("v1/auth/oidc/device", new { });
            Assert.True(allowed.IsSuccessStatusCode, await allowed.Content.ReadAsStringAsync());
        }

        using var refused = await anonymous.PostAsJsonAsync("v1/auth/oidc/device", new { });
        using var console = await anonymous.GetAsync("console/oidc/start");

        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains(ErrorCodes.OidcRateLimited, body, StringComparison.Ordinal);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, console.StatusCode);
    }

    [Fact]
    public void Limiter_CountsPerAddress_AndOpensAgainWhenTheWindowEnds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var limiter = new OidcStartLimiter(new OidcOptions { StartLimit = 2, StartWindow = TimeSpan.FromMinutes(1) }, time);
        var first = Request("10.0.0.1");
        limiter.Check(first);
        limiter.Check(Request("10.0.0.1"));

        var over = Request("10.0.0.1");
        var error = Assert.Throws<NuageException>(() => limiter.Check(over));
        limiter.Check(Request("10.0.0.2")); // another address has its own budget
        time.Advance(TimeSpan.FromSeconds(45));
        var later = Request("10.0.0.1");
        Assert.Throws<NuageException>(() => limiter.Check(later));
        time.Advance(TimeSpan.FromSeconds(15));
        limiter.Check(Request("10.0.0.1"));

        Assert.Equal(ErrorCodes.OidcRateLimited, error.Code);
        Assert.Equal(60, over.Items[Problems.RetryAfterKey]);
        Assert.Equal(15, later.Items[Problems.RetryAfterKey]);
    }

    private static DefaultHttpContext Request(string address)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return http;
    }
}
