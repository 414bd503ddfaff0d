using Nuage.Core.Apps;

namespace Nuage.Core.State;

public interface IAppStore
{
    /// <summary>Inserts the app; returns false when the name is taken.</summary>
    Task<bool> TryCreateAsync(AppConfig app, CancellationToken cancellationToken);

    Task<AppConfig?> FindByNameAsync(string name, CancellationToken cancellationToken);

    Task<AppConfig?> FindByIdAsync(string id, CancellationToken cancellationToken);

    /// <summary>Apps ordered by name, starting strictly after <paramref name="afterName"/>.</summary>
    Task<IReadOnlyList<AppConfig>> ListAsync(string? afterName, int limit, CancellationToken cancellationToken);

    /// <summary>Apps of one organisation ordered by name, starting strictly after <paramref name="afterName"/>.</summary>
    Task<IReadOnlyList<AppConfig>> ListInOrgAsync(string orgId, string? afterName, int limit, CancellationToken cancellationToken);

    Task UpdateAsync(AppConfig app, CancellationToken cancellationToken);

    /// <summary>Deletes the app and everything stored for it (variables, deployments). Returns false when absent.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
