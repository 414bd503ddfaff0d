namespace Nuage.Core.State;

public interface IDeploymentStore
{
    Task CreateAsync(DeploymentRecord deployment, CancellationToken cancellationToken);

    Task UpdateAsync(DeploymentRecord deployment, CancellationToken cancellationToken);

    Task<DeploymentRecord?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>An app's deployments, newest first, starting strictly before <paramref name="beforeId"/>.</summary>
    Task<IReadOnlyList<DeploymentRecord>> ListAsync(string appId, string? beforeId, int limit, CancellationToken cancellationToken);

    /// <summary>The newest deployment of each of <paramref name="appIds"/> that has one, keyed by app id (one query for a listing).</summary>
    Task<IReadOnlyDictionary<string, DeploymentRecord>> LatestAsync(IReadOnlyCollection<string> appIds, CancellationToken cancellationToken);

    /// <summary>Deployments still queued or running (after a restart, they are failed with a reason).</summary>
    Task<IReadOnlyList<DeploymentRecord>> ListUnfinishedAsync(CancellationToken cancellationToken);
}
