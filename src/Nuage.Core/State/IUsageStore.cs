using Nuage.Core.Usage;

namespace Nuage.Core.State;

/// <summary>
/// Metered running intervals of instances. At most one interval per instance is open at a time (the store refuses a
/// second), so no second is counted twice.
/// </summary>
public interface IUsageStore
{
    /// <summary>Opens an interval; false, changing nothing, when the instance already has an open one.</summary>
    Task<bool> TryOpenAsync(UsageInterval interval, CancellationToken cancellationToken);

    /// <summary>Closes the instance's open interval at <paramref name="endedAt"/> (never before it started); false when none was open.</summary>
    Task<bool> CloseAsync(string instanceId, long endedAt, CancellationToken cancellationToken);

    /// <summary>Every open interval.</summary>
    Task<IReadOnlyList<UsageInterval>> ListOpenAsync(CancellationToken cancellationToken);

    /// <summary>The end of the instance's latest closed interval, or null (a reopened interval never starts before it).</summary>
    Task<long?> LastEndAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Records that the instances' open intervals were alive at <paramref name="at"/>.</summary>
    Task CheckpointAsync(IReadOnlyCollection<string> instanceIds, long at, CancellationToken cancellationToken);

    /// <summary>Instance-seconds per subject and flavor inside the query's range.</summary>
    Task<IReadOnlyList<UsageTotal>> SumAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>The intervals that overlap the query's range, zero-length ones included (for exports and tests), oldest first.</summary>
    Task<IReadOnlyList<UsageInterval>> ListAsync(UsageQuery query, CancellationToken cancellationToken);
}
