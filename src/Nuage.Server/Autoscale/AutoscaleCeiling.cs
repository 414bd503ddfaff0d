using System.Globalization;
using Nuage.Core.Apps;
using Nuage.Core.State;
using Nuage.Core.Usage;
using Nuage.Server.Usage;

namespace Nuage.Server.Autoscale;

/// <summary>What the organisation's spending ceiling affords an app: its instance count and why.</summary>
/// <param name="Instances">The most instances the app may run (never below the current count: the ceiling never forces a scale-in).</param>
internal sealed record Affordable(int Instances, string Why);

/// <summary>
/// Turns the organisation's remaining monthly budget into an instance count for one app: each instance is costed at
/// its flavor's hourly price until the end of the month (UTC). The app's current instances are paid for first; each
/// further instance must fit entirely in what remains. No ceiling (no price list, no budget, no price for the flavor)
/// → no limit.
/// </summary>
internal sealed class AutoscaleCeiling(IStateStore store, BudgetService budgets, PriceList prices, TimeProvider time)
{
    public async Task<Affordable?> ForAsync(AppConfig app, int current, string flavor, CancellationToken cancellationToken)
    {
        if (prices.IsEmpty || prices.HourlyPrice(UsageSubjects.App, flavor) is not { } hourly || hourly <= 0
            || await store.Budgets.FindAsync(app.OrgId, cancellationToken) is not { } budget)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var hoursLeft = (decimal)(UsageService.MonthStart(now).AddMonths(1) - now).TotalHours;
        var perInstance = hourly * hoursLeft;
        var spent = await budgets.SpentThisMonthAsync(app.OrgId, cancellationToken);
        var headroom = budget.Monthly - spent - (current * perInstance);
        var extra = headroom <= 0 || perInstance <= 0 ? 0 : (int)Math.Min(AutoscalePolicy.MaxInstancesLimit, decimal.Floor(headroom / perInstance));
        var why = string.Create(
            CultureInfo.InvariantCulture,
            $"spent {spent:0.00} of {budget.Monthly:0.00} {prices.Currency} this month; one {flavor} instance until the month's end costs {perInstance:0.00}");
        return new Affordable(current + extra, why);
    }
}
