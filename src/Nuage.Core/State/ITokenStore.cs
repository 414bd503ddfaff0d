namespace Nuage.Core.State;

public interface ITokenStore
{
    Task CreateAsync(StoredToken token, CancellationToken cancellationToken);

    Task<StoredToken?> FindByHashAsync(string secretHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredToken>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Marks the token revoked; returns false when no such token exists.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
