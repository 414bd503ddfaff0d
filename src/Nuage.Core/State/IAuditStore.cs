using Nuage.Core.Audit;

namespace Nuage.Core.State;

/// <summary>The append-only audit trail. Nothing updates or deletes entries.</summary>
public interface IAuditStore
{
    Task<AuditEntry?> LastAsync(CancellationToken cancellationToken);

    /// <summary>Appends an entry whose seq and hashes are already set (<see cref="AuditChain"/>).</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Newest first, filtered; <paramref name="beforeSeq"/> pages backwards.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Every entry in order, for verification.</summary>
    IAsyncEnumerable<AuditEntry> ReadAllAsync(CancellationToken cancellationToken);
}

public sealed record AuditQuery
{
    public string? OrgId { get; init; }

    public string? Target { get; init; }

    public DateTimeOffset? Since { get; init; }

    public long? BeforeSeq { get; init; }

    public int Limit { get; init; } = 100;
}
