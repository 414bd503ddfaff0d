namespace Nuage.Core.Api;

/// <summary>Body of <c>PUT /v1/orgs/{org}/budget</c>.</summary>
public sealed record BudgetRequest
{
    /// <summary>The monthly ceiling, in the price list's currency (&gt; 0).</summary>
    public decimal? Monthly { get; init; }

    /// <summary>Stop the organisation's apps when the month's cost reaches the ceiling (default false).</summary>
    public bool? HardStop { get; init; }
}

/// <summary>An organisation's spending ceiling and where this month stands against it.</summary>
/// <param name="WarnedLevel">The highest warning raised this month: 0, 80 or 100 (percent).</param>
public sealed record BudgetDto(string Org, decimal Monthly, bool HardStop, string Currency, decimal Spent, decimal Percent, int WarnedLevel);
