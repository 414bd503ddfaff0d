namespace Nuage.Core.State;

/// <summary>Per-app request-flow settings (redirects, headers, compression, protection), stored as one JSON document per app.</summary>
public interface IFlowStore
{
    Task<string?> FindAsync(string appId, CancellationToken cancellationToken);

    /// <summary>Every app's document, by app id.</summary>
    Task<IReadOnlyDictionary<string, string>> ListAsync(CancellationToken cancellationToken);

    Task SaveAsync(string appId, string json, DateTimeOffset at, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string appId, CancellationToken cancellationToken);
}
