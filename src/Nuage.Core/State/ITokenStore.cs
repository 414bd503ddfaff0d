namespace Nuage.Core.State;

public interface ITokenStore
{
    Task CreateAsync(StoredToken token, CancellationToken cancellationToken);

    Task<StoredToken?> FindByHashAsync(string secretHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredToken>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Marks the token revoked; returns false when no such token exists.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    Task<StoredToken?> FindByIdAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records a use; cheap when called on every request (writes at most once per minute per token).</summary>
    /// <summary>Moves a live token's expiry (a refreshed sign-in session); false when no such unrevoked token exists.</summary>
    Task<bool> SetExpiryAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
