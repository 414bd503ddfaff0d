using Nuage.Core.Auth;
using Nuage.Core.Orgs;
using Nuage.Core.State;
using Nuage.State.Sqlite;

namespace Nuage.State.Tests.Sqlite;

public sealed class SqliteOidcStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-01T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly string _dir = Directory.CreateTempSubdirectory("nuage-state-").FullName;

    [Fact]
    public async Task SessionsGrantsAndProviders_RoundTrip_AndRevokedOrExpiredSessionsAreNotDue()
    {
        var store = SqliteStateStore.Open(Path.Combine(_dir, "nuage.db"));
        await store.Orgs.TryCreateAsync(new OrgRecord("org_a", "acme", Now), default);
        var user = await store.Orgs.EnsureUserAsync("alice@nuage.test", Now, default);
        await store.Tokens.CreateAsync(new StoredToken("tok_live", "hash-live", Role.Admin, "oidc session", Now, Now.AddHours(12), null) { OrgId = "org_a", UserId = user.Id }, default);
        await store.Tokens.CreateAsync(new StoredToken("tok_gone", "hash-gone", Role.Admin, "oidc session", Now, Now.AddHours(12), null) { OrgId = "org_a", UserId = user.Id }, default);
        await store.Tokens.RevokeAsync("tok_gone", Now, default);

        await store.Oidc.SaveSessionAsync(new OidcSessionRecord("tok_live", "https://sso/realms/x", user.Id, [1, 2, 3], Now), default);
        await store.Oidc.SaveSessionAsync(new OidcSessionRecord("tok_gone", "https://sso/realms/x", user.Id, null, Now), default);
        await store.Oidc.SetGrantAsync(new OidcGrantRecord("org_a", user.Id, Role.Admin, Role.Viewer), default);
        await store.Oidc.SaveProviderAsync(new OidcProviderRecord("https://sso/realms/x", "nuage", [9], "Company SSO", ["admins=acme:admin"], Now) { Scopes = "openid email" }, default);

        var due = await store.Oidc.ListDueSessionsAsync(Now.AddMinutes(30), Now.AddMinutes(15), default);
        Assert.Equal("tok_live", Assert.Single(due).TokenId);
        Assert.Empty(await store.Oidc.ListDueSessionsAsync(Now.AddHours(13), Now.AddHours(13), default)); // expired
        Assert.Equal([1, 2, 3], (await store.Oidc.FindSessionAsync("tok_live", default))!.SealedRefreshToken);
        var grant = Assert.Single(await store.Oidc.ListGrantsAsync(user.Id, default));
        Assert.Equal((Role.Admin, (Role?)Role.Viewer), (grant.Role, grant.PreviousRole));
        var provider = Assert.Single(await store.Oidc.ListProvidersAsync(default));
        Assert.Equal(("nuage", "Company SSO", "admins=acme:admin", "openid email"), (provider.ClientId, provider.Name, Assert.Single(provider.GroupRoles), provider.Scopes));
        Assert.Equal(["tok_live"], await store.Oidc.ListLiveSessionsAsync("https://sso/realms/x", default));
        Assert.Empty(await store.Oidc.ListLiveSessionsAsync("https://other/realms/x", default));
        Assert.True(await store.Oidc.DeleteProviderAsync("https://sso/realms/x", default));
        Assert.False(await store.Oidc.DeleteProviderAsync("https://sso/realms/x", default));
    }

    [Fact]
    public async Task SetExpiry_MovesALiveTokensExpiry_ButNeverRevivesARevokedOne()
    {
        var store = SqliteStateStore.Open(Path.Combine(_dir, "nuage.db"));
        await store.Tokens.CreateAsync(new StoredToken("tok_live", "hash-live", Role.Admin, "oidc session", Now, Now.AddHours(12), null), default);
        await store.Tokens.CreateAsync(new StoredToken("tok_gone", "hash-gone", Role.Admin, "oidc session", Now, Now.AddHours(12), null), default);
        await store.Tokens.RevokeAsync("tok_gone", Now, default);

        Assert.True(await store.Tokens.SetExpiryAsync("tok_live", Now.AddHours(20), default));
        Assert.False(await store.Tokens.SetExpiryAsync("tok_gone", Now.AddHours(20), default));

        Assert.Equal(Now.AddHours(20), (await store.Tokens.FindByIdAsync("tok_live", default))!.ExpiresAt);
        Assert.Equal(Now.AddHours(12), (await store.Tokens.FindByIdAsync("tok_gone", default))!.ExpiresAt);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
