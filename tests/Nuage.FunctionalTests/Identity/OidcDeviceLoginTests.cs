using System.Net;
using Nuage.Core.State;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Oidc;

namespace Nuage.FunctionalTests.Identity;

/// <summary>
/// <c>nuage login --oidc</c> end to end: the real CLI, a real server brokering the device authorization grant, and the
/// real npm oidc-provider (Keycloak-shaped realm) whose pages a test "user" fills in. The provider's account alice
/// carries the group /nuage/acme-admins and the realm role nuage-developer; any other login has neither.
/// </summary>
public sealed class OidcDeviceLoginTests
{
    private static readonly string[] Mapping = ["/nuage/acme-admins=acme:admin", "nuage-developer=beta:developer"];

    [Fact]
    public async Task DeviceLogin_WithMappedGroups_StoresASessionInTheOrgOfTheHighestRole_AndLogoutRevokesIt()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await StartServerAsync(provider);

        var login = await OidcCliLogin.RunAsync(server, "alice");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("enter the code", login.Output, StringComparison.Ordinal);
        Assert.Contains("as alice@nuage.test in acme (admin)", login.Output, StringComparison.Ordinal);
        var whoami = await login.RunAsync("whoami");
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Contains("(admin) as alice@nuage.test in acme", whoami.Output, StringComparison.Ordinal);
        Assert.Contains(OidcSessions.SessionDescription, whoami.Output, StringComparison.Ordinal);

        // The realm role mapped alice into beta as a developer too; the audit trail names her sign-in.
        using var op = server.Http();
        var members = await op.GetStringAsync("v1/orgs/beta/members");
        Assert.Contains("\"role\":\"developer\"", members, StringComparison.Ordinal);
        var store = (IStateStore)server.Server.Services.GetService(typeof(IStateStore))!;
        var entry = (await store.Audit.LastAsync(default))!;
        Assert.Equal("POST /v1/auth/oidc/device/poll", entry.Action);
        Assert.Equal("success", entry.Outcome);
        Assert.Contains("alice@nuage.test", entry.Actor, StringComparison.Ordinal);

        var secret = login.StoredToken!;
        var logout = await login.RunAsync("logout");
        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.Contains("Revoked the session", logout.Output, StringComparison.Ordinal);
        using var session = server.Http(secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("v1/whoami")).StatusCode);
    }

    [Fact]
    public async Task DeviceLogin_UserWithNoMembershipAndNoMappedGroup_IsRefusedWithTheReason()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await StartServerAsync(provider);

        var login = await OidcCliLogin.RunAsync(server, "bob");

        Assert.True(login.ExitCode == 4, login.ToString());
        Assert.Contains("bob@nuage.test", login.Error, StringComparison.Ordinal);
        Assert.Contains("member of no organisation", login.Error, StringComparison.Ordinal);
        Assert.Null(login.StoredToken);
        var store = (IStateStore)server.Server.Services.GetService(typeof(IStateStore))!;
        var entry = (await store.Audit.LastAsync(default))!;
        Assert.Equal("refused", entry.Outcome);
        Assert.Contains("oidc_no_membership", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceLogin_UserAbortsAtTheProvider_IsRefusedAsAccessDenied()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await StartServerAsync(provider);

        var login = await OidcCliLogin.RunAsync(server, "alice", approve: false);

        Assert.True(login.ExitCode == 4, login.ToString());
        Assert.Contains("access_denied", login.Error, StringComparison.Ordinal);
        Assert.Null(login.StoredToken);
    }

    [Fact]
    public async Task DeviceLogin_CodeNeverApproved_ExpiresWithAClearError()
    {
        await using var provider = await OidcProvider.StartAsync(deviceCodeSeconds: 2);
        await using var server = await StartServerAsync(provider);

        var login = await OidcCliLogin.RunAsync(server, login: null);

        Assert.True(login.ExitCode == 4, login.ToString());
        Assert.Contains("expired", login.Error, StringComparison.Ordinal);
        Assert.Contains("nuage login --oidc", login.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceLogin_AfterTheProviderRotatesItsSigningKey_StillSucceeds()
    {
        var first = await OidcProvider.StartAsync();
        await using var server = await StartServerAsync(first);
        var before = await OidcCliLogin.RunAsync(server, "alice");
        Assert.True(before.ExitCode == 0, before.ToString());
        var port = first.Port;
        await first.DisposeAsync();

        // Same issuer URL, new key (new kid): the server's cached key set lacks it and must fetch the set again.
        await using var rotated = await OidcProvider.StartAsync(port);
        var after = await OidcCliLogin.RunAsync(server, "alice");

        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("as alice@nuage.test in acme (admin)", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceLogin_WithAnEs256SignedIdToken_Succeeds()
    {
        await using var provider = await OidcProvider.StartAsync(idTokenAlgorithm: "ES256");
        await using var server = await StartServerAsync(provider);

        var login = await OidcCliLogin.RunAsync(server, "alice");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("as alice@nuage.test in acme (admin)", login.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroupRoleFlag_Malformed_RefusesTheStart_NamingTheFlagAndValue()
    {
        var error = await Assert.ThrowsAsync<Nuage.Core.Errors.NuageException>(() => RunningServer.StartAsync(o => o with
        {
            Oidc = OidcOptions.From(["http://127.0.0.1:1/realms/nuage"], ["nuage-cli"], ["admins=acme:owner"]),
        }));

        var field = Assert.Single(error.Errors);
        Assert.Equal(OidcOptions.GroupRoleFlag, field.Field);
        Assert.Equal("admins=acme:owner", field.Value);
        Assert.Contains("GROUP=ORG:ROLE", field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginOidc_OnAServerWithoutIssuer_ExitsNotFound_NamingTheFlagTheOperatorNeeds()
    {
        await using var server = await RunningServer.StartAsync();

        var login = await OidcCliLogin.RunAsync(server, login: null);

        Assert.True(login.ExitCode == 3, login.ToString());
        Assert.Contains(OidcOptions.IssuerFlag, login.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithBothOidcAndToken_OrWithNeither_IsInvalidInput()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();

        var both = await cli.RunAsync("login", "--url", server.Url, "--oidc", "--token", server.AdminToken);
        var neither = await cli.RunAsync("login", "--url", server.Url);

        Assert.True(both.ExitCode == 2, both.ToString());
        Assert.Contains("--token", both.Error, StringComparison.Ordinal);
        Assert.True(neither.ExitCode == 2, neither.ToString());
        Assert.Contains("--oidc", neither.Error, StringComparison.Ordinal);
    }

    internal static async Task<RunningServer> StartServerAsync(OidcProvider provider)
    {
        var server = await RunningServer.StartAsync(o => o with { Oidc = OidcOptions.From([provider.Issuer], ["nuage-cli"], Mapping) });
        using var op = server.Http();
        (await IdentityWorld.PostAsync(op, "v1/orgs", new { name = "acme" })).Dispose();
        (await IdentityWorld.PostAsync(op, "v1/orgs", new { name = "beta" })).Dispose();
        return server;
    }
}
