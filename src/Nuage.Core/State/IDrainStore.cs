namespace Nuage.Core.State;

/// <summary>
/// Log drain definitions (what an app asked to send where). Delivery progress (cursors, counters) is not here: it lives
/// with the log store it points into, and changes on every batch.
/// </summary>
public interface IDrainStore
{
    /// <summary>Adds the drain; false, changing nothing, when a drain with this id exists (so an import can run twice).</summary>
    Task<bool> InsertAsync(DrainRecord drain, CancellationToken cancellationToken);

    /// <summary>Drains of one app, or of every app when <paramref name="appId"/> is null; oldest first.</summary>
    Task<IReadOnlyList<DrainRecord>> ListAsync(string? appId, CancellationToken cancellationToken);

    /// <summary>False when the app has no such drain.</summary>
    Task<bool> SetEnabledAsync(string appId, string drainId, bool enabled, CancellationToken cancellationToken);

    /// <summary>False when the app has no such drain.</summary>
    Task<bool> DeleteAsync(string appId, string drainId, CancellationToken cancellationToken);
}

/// <summary>One stored drain. Password and token are sealed by the caller (they never reach the store in plaintext).</summary>
public sealed record DrainRecord
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required string AppName { get; init; }

    public required string Type { get; init; }

    public required string Url { get; init; }

    public string? Username { get; init; }

    public string? SealedPassword { get; init; }

    public string? SealedToken { get; init; }

    public string? SdParams { get; init; }

    public bool Enabled { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }
}
