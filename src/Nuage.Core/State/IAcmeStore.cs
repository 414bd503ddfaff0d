namespace Nuage.Core.State;

/// <summary>ACME accounts (one per CA directory, key sealed) and the certificate state of domains whose certificate Nuage obtains.</summary>
public interface IAcmeStore
{
    Task<AcmeAccountRecord?> FindAccountAsync(string directory, CancellationToken cancellationToken);

    Task SaveAccountAsync(AcmeAccountRecord account, CancellationToken cancellationToken);

    Task<AcmeDomainRecord?> FindDomainAsync(string domain, CancellationToken cancellationToken);

    /// <summary>Every domain with ACME state, ordered by domain.</summary>
    Task<IReadOnlyList<AcmeDomainRecord>> ListDomainsAsync(CancellationToken cancellationToken);

    /// <summary>Adds or replaces the domain's ACME state.</summary>
    Task SaveDomainAsync(AcmeDomainRecord domain, CancellationToken cancellationToken);

    Task<bool> DeleteDomainAsync(string domain, CancellationToken cancellationToken);
}

/// <summary>An account at an ACME CA: its URL (the JWS <c>kid</c>) and its P-256 key (PKCS#8 PEM, sealed).</summary>
public sealed record AcmeAccountRecord
{
    public required string Directory { get; init; }

    public required string Email { get; init; }

    public required string AccountUrl { get; init; }

    public required byte[] SealedKey { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Where a domain's ACME certificate stands (see <see cref="AcmeStatuses"/>). The certificate itself is in <see cref="DomainRecord"/>.</summary>
public sealed record AcmeDomainRecord
{
    public required string Domain { get; init; }

    public required string Status { get; init; }

    /// <summary>Expiry of the certificate served now (null before the first issuance).</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>When the next order is due: renewal time when valid, retry time after a failure.</summary>
    public required DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>Failed attempts since the last success (drives the capped backoff).</summary>
    public int Failures { get; init; }

    /// <summary>The CA's problem detail of the last failure (kept until the next success).</summary>
    public string? LastError { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>ACME states of a domain, as stored and shown (<c>nuage domain list</c>). Persisted: do not rename.</summary>
public static class AcmeStatuses
{
    /// <summary>No certificate obtained yet; an order is due or running.</summary>
    public const string Pending = "pending";

    /// <summary>A certificate is served; renewal is planned at <see cref="AcmeDomainRecord.NextAttemptAt"/>.</summary>
    public const string Valid = "valid";

    /// <summary>The last order failed (see <see cref="AcmeDomainRecord.LastError"/>); a retry is planned, any existing certificate keeps serving.</summary>
    public const string Failed = "failed";

    public static IReadOnlyList<string> All { get; } = [Pending, Valid, Failed];
}
