using System.Globalization;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Core.Usage;
using Nuage.Server.Orgs;

namespace Nuage.Server.Usage;

/// <summary>
/// Monthly spending ceilings per organisation: managers and admins set and remove them; accountants and above read
/// them with this month's spend. A ceiling needs the server's price list (without prices nothing costs anything).
/// </summary>
internal sealed class BudgetService(IStateStore store, OrgService orgs, UsageService usage, PriceList prices, TimeProvider time)
{
    /// <summary>The largest ceiling accepted (a typo guard, not a business rule).</summary>
    public const decimal MaxMonthly = 1_000_000_000m;

    public async Task<BudgetDto> SetAsync(Caller caller, string orgName, BudgetRequest? request, CancellationToken cancellationToken)
    {
        var org = await orgs.FindAsync(caller, orgName, cancellationToken);
        caller.Require(Role.Manager, "Setting a spending ceiling");
        var errors = new List<FieldError>();
        if (request?.Monthly is not { } monthly || monthly <= 0 || monthly > MaxMonthly)
        {
            errors.Add(new FieldError("monthly", request?.Monthly?.ToString(CultureInfo.InvariantCulture), $"use an amount per month greater than 0 and at most {MaxMonthly.ToString(CultureInfo.InvariantCulture)}, in the price list's currency"));
        }
        else if (prices.IsEmpty)
        {
            errors.Add(new FieldError("monthly", monthly.ToString(CultureInfo.InvariantCulture), "this server has no price list, so usage costs nothing and no ceiling can be reached; the operator starts it with --prices FILE (docs/usage.md)"));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidBudget, errors);
        }

        await store.Budgets.SetAsync(new OrgBudget { OrgId = org.Id, Monthly = request!.Monthly!.Value, HardStop = request.HardStop ?? false, UpdatedAt = time.GetUtcNow() }, cancellationToken);
        return await ToDtoAsync(org.Name, (await store.Budgets.FindAsync(org.Id, cancellationToken))!, cancellationToken);
    }

    public async Task<BudgetDto> GetAsync(Caller caller, string orgName, CancellationToken cancellationToken)
    {
        var org = await orgs.FindAsync(caller, orgName, cancellationToken);
        caller.Require(Role.Accountant, "Reading the spending ceiling");
        var budget = await store.Budgets.FindAsync(org.Id, cancellationToken) ?? throw NotFound(org.Name);
        return await ToDtoAsync(org.Name, budget, cancellationToken);
    }

    public async Task DeleteAsync(Caller caller, string orgName, CancellationToken cancellationToken)
    {
        var org = await orgs.FindAsync(caller, orgName, cancellationToken);
        caller.Require(Role.Manager, "Removing a spending ceiling");
        if (!await store.Budgets.DeleteAsync(org.Id, cancellationToken))
        {
            throw NotFound(org.Name);
        }
    }

    /// <summary>This month's (UTC) cost of the organisation's usage so far.</summary>
    public async Task<decimal> SpentThisMonthAsync(string orgId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await usage.CostAsync(orgId, UsageService.MonthStart(now), now, cancellationToken) ?? 0m;
    }

    private async Task<BudgetDto> ToDtoAsync(string orgName, OrgBudget budget, CancellationToken cancellationToken)
    {
        var spent = await SpentThisMonthAsync(budget.OrgId, cancellationToken);
        var month = time.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return new BudgetDto(
            orgName, budget.Monthly, budget.HardStop, prices.Currency, spent, decimal.Round(spent / budget.Monthly * 100m, 2), budget.WarnedMonth == month ? budget.WarnedLevel : 0);
    }

    private static NuageException NotFound(string org) =>
        NuageException.NotFound(ErrorCodes.BudgetNotFound, $"Organisation \"{org}\" has no spending ceiling; set one with 'nuage org budget set {org} --monthly AMOUNT'.");
}
