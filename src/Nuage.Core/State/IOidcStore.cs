using Nuage.Core.Auth;

namespace Nuage.Core.State;

/// <summary>
/// OpenID Connect state: the refresh token behind each session (sealed), the memberships a group mapping granted (so
/// they can be taken back when the user leaves the group, unlike memberships set by hand), and the providers added
/// with <c>nuage auth provider add</c>.
/// </summary>
public interface IOidcStore
{
    /// <summary>Inserts or replaces the session behind a token.</summary>
    Task SaveSessionAsync(OidcSessionRecord session, CancellationToken cancellationToken);

    Task<OidcSessionRecord?> FindSessionAsync(string tokenId, CancellationToken cancellationToken);

    /// <summary>Sessions whose token is neither revoked nor expired at <paramref name="now"/> and that were last refreshed before <paramref name="refreshedBefore"/>.</summary>
    Task<IReadOnlyList<OidcSessionRecord>> ListDueSessionsAsync(DateTimeOffset now, DateTimeOffset refreshedBefore, CancellationToken cancellationToken);

    /// <summary>The token ids of the sessions signed in at <paramref name="issuer"/> whose token is not revoked.</summary>
    Task<IReadOnlyList<string>> ListLiveSessionsAsync(string issuer, CancellationToken cancellationToken);

    Task<IReadOnlyList<OidcGrantRecord>> ListGrantsAsync(string userId, CancellationToken cancellationToken);

    Task SetGrantAsync(OidcGrantRecord grant, CancellationToken cancellationToken);

    Task DeleteGrantAsync(string orgId, string userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<OidcProviderRecord>> ListProvidersAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the provider with this issuer.</summary>
    Task SaveProviderAsync(OidcProviderRecord provider, CancellationToken cancellationToken);

    /// <summary>False when no provider has this issuer.</summary>
    Task<bool> DeleteProviderAsync(string issuer, CancellationToken cancellationToken);
}

/// <summary>The OpenID Connect sign-in behind a session token: its issuer, user and sealed refresh token (null when the issuer gave none).</summary>
public sealed record OidcSessionRecord(string TokenId, string Issuer, string UserId, byte[]? SealedRefreshToken, DateTimeOffset RefreshedAt);

/// <summary>
/// A membership a group mapping granted: the role it gave, and the role the user had by hand before (null when the
/// mapping created the membership). Losing the group removes the membership, or restores the hand-set role.
/// </summary>
public sealed record OidcGrantRecord(string OrgId, string UserId, Role Role, Role? PreviousRole);

/// <summary>A provider added at run time: issuer, client, sealed secret of a confidential client, button label, GROUP=ORG:ROLE mappings.</summary>
public sealed record OidcProviderRecord(string Issuer, string ClientId, byte[]? SealedClientSecret, string? Name, IReadOnlyList<string> GroupRoles, DateTimeOffset CreatedAt)
{
    /// <summary>The scopes to ask for (space-separated); null: the default.</summary>
    public string? Scopes { get; init; }
}
