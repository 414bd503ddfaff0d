namespace Nuage.Core.State;

/// <summary>Per-app autoscaling policies, stored as one JSON document per app (migration "autoscale").</summary>
public interface IAutoscaleStore
{
    Task<string?> FindAsync(string appId, CancellationToken cancellationToken);

    /// <summary>Every app's policy document, by app id.</summary>
    Task<IReadOnlyDictionary<string, string>> ListAsync(CancellationToken cancellationToken);

    Task SaveAsync(string appId, string json, DateTimeOffset at, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string appId, CancellationToken cancellationToken);
}
