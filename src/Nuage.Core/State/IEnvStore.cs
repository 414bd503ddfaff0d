namespace Nuage.Core.State;

/// <summary>An app's variables, stored sealed (encrypted); this store never sees plaintext.</summary>
public interface IEnvStore
{
    Task<IReadOnlyDictionary<string, byte[]>> GetAllAsync(string appId, CancellationToken cancellationToken);

    /// <summary>Applies sets and removals in one transaction.</summary>
    Task ApplyAsync(string appId, IReadOnlyDictionary<string, byte[]> set, IReadOnlyCollection<string> remove, CancellationToken cancellationToken);

    /// <summary>Replaces the whole set of variables in one transaction.</summary>
    Task ReplaceAsync(string appId, IReadOnlyDictionary<string, byte[]> all, CancellationToken cancellationToken);
}
