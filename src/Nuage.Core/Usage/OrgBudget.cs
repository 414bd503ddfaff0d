namespace Nuage.Core.Usage;

/// <summary>
/// An organisation's monthly spending ceiling, in the price list's currency. <see cref="WarnedLevel"/> is the highest
/// warning (80 or 100 percent) already raised in <see cref="WarnedMonth"/> ("yyyy-MM", UTC), so each warning is raised
/// once a month even across server restarts.
/// </summary>
public sealed record OrgBudget
{
    public required string OrgId { get; init; }

    public required decimal Monthly { get; init; }

    /// <summary>Stop the organisation's apps when the month's cost reaches the budget.</summary>
    public bool HardStop { get; init; }

    public string? WarnedMonth { get; init; }

    public int WarnedLevel { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
