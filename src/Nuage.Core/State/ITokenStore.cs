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
    Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
