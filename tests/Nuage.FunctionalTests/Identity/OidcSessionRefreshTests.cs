using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Security;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Oidc;

namespace Nuage.FunctionalTests.Identity;

/// <summary>
/// Session refresh against the real oidc-provider: the refresh token is kept sealed, and each refresh applies the group
/// mapping again, so a user removed from a group at the provider loses the membership that group gave (and access
/// with it), while memberships set by hand stay.
/// </summary>
public sealed class OidcSessionRefreshTests
{
    [Fact]
    public async Task Refresh_AfterTheUserLeavesTheMappedGroup_RemovesTheGrantedMembership_AndRefusesTheSession_ButKeepsHandSetOnes()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        using var op = server.Http();
        (await IdentityWorld.PostAsync(op, "v1/orgs", new { name = "gamma" })).Dispose();
        (await IdentityWorld.PostAsync(op, "v1/orgs/gamma/members", new { email = "alice@nuage.test", role = "viewer" })).Dispose();
        var login = await OidcCliLogin.RunAsync(server, "alice");
        Assert.True(login.ExitCode == 0, login.ToString());
        using var session = server.Http(login.StoredToken!);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("v1/whoami")).StatusCode);
        var tokenId = JsonDocument.Parse(await session.GetStringAsync("v1/whoami")).RootElement.GetProperty("tokenId").GetString()!;
        var store = server.Server.Services.GetRequiredService<IStateStore>();
        var stored = (await store.Oidc.FindSessionAsync(tokenId, default))!;
        Assert.NotNull(stored.SealedRefreshToken); // kept, and sealed (the plain token is never stored)

        await provider.SetGroupsAsync("alice"); // an administrator removes alice from /nuage/acme-admins at the provider
        var refreshed = await server.Server.Services.GetRequiredService<OidcSessions>().RefreshAsync(tokenId, default);

        Assert.True(refreshed);
        Assert.DoesNotContain("alice@nuage.test", await op.GetStringAsync("v1/orgs/acme/members"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("v1/whoami")).StatusCode);
        Assert.Contains("alice@nuage.test", await op.GetStringAsync("v1/orgs/gamma/members"), StringComparison.Ordinal); // set by hand: stays
        Assert.Contains("alice@nuage.test", await op.GetStringAsync("v1/orgs/beta/members"), StringComparison.Ordinal); // realm role still held
    }

    [Fact]
    public async Task RefreshDue_RefreshesLiveSessions_AndASecondSignInAfterLeavingTheGroupLandsInTheRemainingOrg()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await RunningServer.StartAsync(o => o with
        {
            Oidc = OidcOptions.From([provider.Issuer], ["nuage-cli"], ["/nuage/acme-admins=acme:admin", "nuage-developer=beta:developer"]) with { RefreshInterval = TimeSpan.Zero },
        });
        using var op = server.Http();
        (await IdentityWorld.PostAsync(op, "v1/orgs", new { name = "acme" })).Dispose();
        (await IdentityWorld.PostAsync(op, "v1/orgs", new { name = "beta" })).Dispose();
        var first = await OidcCliLogin.RunAsync(server, "alice");
        Assert.True(first.ExitCode == 0, first.ToString());

        var refreshed = await server.Server.Services.GetRequiredService<OidcRefresher>().RefreshDueAsync(default);
        await provider.SetGroupsAsync("alice");
        var second = await OidcCliLogin.RunAsync(server, "alice");

        Assert.Equal(1, refreshed);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("as alice@nuage.test in beta (developer)", second.Output, StringComparison.Ordinal); // the sign-in took the acme grant back
        Assert.DoesNotContain("alice@nuage.test", await op.GetStringAsync("v1/orgs/acme/members"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_SlidesTheSessionBySessionLifetime_ButNeverPastTheAbsoluteCap_OnAFakeClock()
    {
        await using var provider = await OidcProvider.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow); // the provider signs with the real time: stay within its 1-hour ID tokens
        await using var server = await RunningServer.StartAsync(o => o with
        {
            Oidc = OidcOptions.From([provider.Issuer], ["nuage-cli"], ["/nuage/acme-admins=acme:admin"]) with
            {
                SessionLifetime = TimeSpan.FromMinutes(30),
                SessionMaxLifetime = TimeSpan.FromMinutes(65),
                RefreshInterval = TimeSpan.FromDays(1), // the background loop stays out of the way; the test refreshes
            },
        }, clock);
        (await IdentityWorld.PostAsync(server.Http(), "v1/orgs", new { name = "acme" })).Dispose();
        clock.SetUtcNow(DateTimeOffset.UtcNow); // starting the server took real time: the fake clock catches up before the sign-in
        var (session, secret) = await SignInDirectlyAsync(server, provider);
        var start = clock.GetUtcNow();
        var store = server.Server.Services.GetRequiredService<IStateStore>();
        var sessions = server.Server.Services.GetRequiredService<OidcSessions>();
        using var http = server.Http(secret);

        clock.Advance(TimeSpan.FromMinutes(20));
        Assert.True(await sessions.RefreshAsync(session, default));
        var slid = (await store.Tokens.FindByIdAsync(session, default))!.ExpiresAt;
        clock.Advance(TimeSpan.FromMinutes(20)); // 40 min: past the first 30-minute expiry
        var afterFirstExpiry = (await http.GetAsync("v1/whoami")).StatusCode;
        Assert.True(await sessions.RefreshAsync(session, default));
        var capped = (await store.Tokens.FindByIdAsync(session, default))!.ExpiresAt;
        clock.Advance(TimeSpan.FromMinutes(30)); // 70 min: past the 65-minute cap
        var afterCap = (await http.GetAsync("v1/whoami")).StatusCode;

        Assert.Equal(start + TimeSpan.FromMinutes(50), slid);
        Assert.Equal(HttpStatusCode.OK, afterFirstExpiry);
        Assert.Equal(start + TimeSpan.FromMinutes(65), capped); // 40 + 30 would be 70: capped at sign-in + 65
        Assert.Equal(HttpStatusCode.Unauthorized, afterCap);
    }

    [Fact]
    public async Task Refresh_OfARefreshTokenRevokedAtTheProvider_EndsTheSession()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        var signedIn = await CliSessionAsync(server);
        using var session = signedIn.Session;
        var tokenId = signedIn.TokenId;
        var store = server.Server.Services.GetRequiredService<IStateStore>();
        var box = server.Server.Services.GetRequiredService<SecretBox>();
        var sealedToken = (await store.Oidc.FindSessionAsync(tokenId, default))!.SealedRefreshToken!;

        await provider.RevokeAsync(box.Open(sealedToken, "oidc-refresh-token:" + tokenId)); // the user signs out at the provider
        var error = await Assert.ThrowsAsync<NuageException>(() => server.Server.Services.GetRequiredService<OidcSessions>().RefreshAsync(tokenId, default));

        Assert.Equal(ErrorKind.Unauthorized, error.Kind);
        Assert.Contains("invalid_grant", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("v1/whoami")).StatusCode);
        Assert.NotNull((await store.Tokens.FindByIdAsync(tokenId, default))!.RevokedAt);
    }

    [Fact]
    public async Task Refresh_WhileTheIssuerIsDown_FailsWithoutEndingOrExtendingTheSession()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await OidcDeviceLoginTests.StartServerAsync(provider);
        var signedIn = await CliSessionAsync(server);
        using var session = signedIn.Session;
        var tokenId = signedIn.TokenId;
        var store = server.Server.Services.GetRequiredService<IStateStore>();
        var expiresBefore = (await store.Tokens.FindByIdAsync(tokenId, default))!.ExpiresAt;

        await provider.DisposeAsync(); // the issuer goes down
        var error = await Assert.ThrowsAsync<NuageException>(() => server.Server.Services.GetRequiredService<OidcSessions>().RefreshAsync(tokenId, default));

        Assert.Equal(ErrorCodes.OidcIssuerFailed, error.Code);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("v1/whoami")).StatusCode); // existing sessions keep working
        Assert.Equal(expiresBefore, (await store.Tokens.FindByIdAsync(tokenId, default))!.ExpiresAt);
    }

    /// <summary>Alice signs in with the real CLI; her session's client and token id.</summary>
    private static async Task<(HttpClient Session, string TokenId)> CliSessionAsync(RunningServer server)
    {
        var login = await OidcCliLogin.RunAsync(server, "alice");
        Assert.True(login.ExitCode == 0, login.ToString());
        var session = server.Http(login.StoredToken!);
        var tokenId = JsonDocument.Parse(await session.GetStringAsync("v1/whoami")).RootElement.GetProperty("tokenId").GetString()!;
        return (session, tokenId);
    }

    /// <summary>A session from genuine provider tokens, made by the server's own sign-in code (the device flow's polling runs on the server's clock, which a fake clock would stop).</summary>
    private static async Task<(string TokenId, string Secret)> SignInDirectlyAsync(RunningServer server, OidcProvider provider)
    {
        var (idToken, refreshToken) = await OidcUser.TokensAsync(provider, "nuage-cli", "alice", "n-" + Guid.NewGuid().ToString("N"));
        var entry = server.Server.Services.GetRequiredService<OidcIssuers>().Find(provider.Issuer);
        JsonWebToken validated = await entry.Validator.ValidateAsync(idToken, null, requireNonce: false, default);
        var signedIn = await server.Server.Services.GetRequiredService<OidcSessions>().SignInAsync(entry.Issuer, validated, refreshToken, default);
        return (signedIn.Token.Id, signedIn.Secret);
    }
}
