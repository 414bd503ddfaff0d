using Nuage.Core.Usage;

namespace Nuage.Core.State;

/// <summary>Monthly spending ceilings, one per organisation.</summary>
public interface IBudgetStore
{
    Task<OrgBudget?> FindAsync(string orgId, CancellationToken cancellationToken);

    Task<IReadOnlyList<OrgBudget>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Sets the ceiling (keeps the warnings already raised this month).</summary>
    Task SetAsync(OrgBudget budget, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string orgId, CancellationToken cancellationToken);

    /// <summary>Records the warning level raised for a month.</summary>
    Task MarkWarnedAsync(string orgId, string month, int level, CancellationToken cancellationToken);
}
