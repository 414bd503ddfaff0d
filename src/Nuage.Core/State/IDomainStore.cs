namespace Nuage.Core.State;

/// <summary>Custom domains of apps. A domain belongs to one app at most; certificate keys are stored sealed.</summary>
public interface IDomainStore
{
    /// <summary>
    /// Adds the domain to its app, or replaces the certificate when the same app already has it.
    /// Returns false, changing nothing, when another app has the domain.
    /// </summary>
    Task<bool> UpsertAsync(DomainRecord domain, CancellationToken cancellationToken);

    Task<DomainRecord?> FindAsync(string domain, CancellationToken cancellationToken);

    /// <summary>Domains of one app, or of every app when <paramref name="appId"/> is null; ordered by domain.</summary>
    Task<IReadOnlyList<DomainRecord>> ListAsync(string? appId, CancellationToken cancellationToken);

    /// <summary>Removes the domain from the app; false when the app does not have it.</summary>
    Task<bool> DeleteAsync(string appId, string domain, CancellationToken cancellationToken);
}

/// <summary>One custom domain of an app, with its optional HTTPS certificate (PEM) and sealed private key (PEM, sealed).</summary>
public sealed record DomainRecord
{
    public required string Domain { get; init; }

    public required string AppId { get; init; }

    public string? CertificatePem { get; init; }

    public byte[]? SealedKey { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
