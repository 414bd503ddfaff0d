using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nuage.Core.State;
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
}
