using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Core.Usage;
using Nuage.Server.Apps;
using Nuage.Server.Orgs;

namespace Nuage.Server.Usage;

/// <summary>
/// Reading metered usage. Accountants and above read their organisation's usage; the operator reads every
/// organisation's, or one's with <c>org</c>. The range defaults to the current calendar month (UTC) up to now.
/// </summary>
internal sealed class UsageService(IStateStore store, OrgService orgs, AppService apps, PriceList prices, TimeProvider time)
{
    public async Task<UsageReportDto> ReportAsync(Caller caller, string? org, string? app, string? from, string? to, CancellationToken cancellationToken)
    {
        caller.Require(Role.Accountant, "Reading usage");
        var now = time.GetUtcNow();
        var errors = new List<FieldError>();
        var start = ParseTime("from", from, now, errors) ?? MonthStart(now);
        var end = ParseTime("to", to, now, errors) ?? now;
        if (errors.Count == 0 && end <= start)
        {
            errors.Add(new FieldError("to", to ?? end.ToString("O"), $"must be after from ({start:O})"));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidUsageQuery, errors);
        }

        var orgId = org is not null ? (await orgs.FindAsync(caller, org, cancellationToken)).Id : caller.OrgId;
        var appId = app is null ? null : (await apps.FindAsync(caller, app, cancellationToken)).Id;
        var totals = await store.Usage.SumAsync(
            new UsageQuery
            {
                OrgId = orgId,
                SubjectKind = appId is null ? null : UsageSubjects.App,
                SubjectId = appId,
                From = start.ToUnixTimeMilliseconds(),
                To = end.ToUnixTimeMilliseconds(),
                Now = now.ToUnixTimeMilliseconds(),
            },
            cancellationToken);
        return Report(start, end, totals, (await store.Orgs.ListAsync(null, cancellationToken)).ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal));
    }

    /// <summary>The cost of an organisation's usage in [from, to) (null without a price list).</summary>
    public async Task<decimal?> CostAsync(string orgId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (prices.IsEmpty)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var totals = await store.Usage.SumAsync(
            new UsageQuery { OrgId = orgId, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds(), Now = now.ToUnixTimeMilliseconds() },
            cancellationToken);
        return totals.Sum(t => Cost(t) ?? 0m);
    }

    public static DateTimeOffset MonthStart(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    private UsageReportDto Report(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<UsageTotal> totals, Dictionary<string, string> orgNames)
    {
        var rows = totals.Select(t => new UsageRowDto(
            orgNames.GetValueOrDefault(t.OrgId, t.OrgId), t.SubjectKind, t.SubjectName, t.Flavor, t.Seconds, prices.HourlyPrice(t.SubjectKind, t.Flavor), Cost(t))).ToList();
        var byFlavor = rows
            .GroupBy(r => (r.Kind, r.Flavor))
            .OrderBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Flavor, StringComparer.Ordinal)
            .Select(g => new UsageFlavorTotalDto(g.Key.Kind, g.Key.Flavor, g.Sum(r => r.InstanceSeconds), g.Any(r => r.Cost is null) ? null : g.Sum(r => r.Cost!.Value)))
            .ToList();
        return new UsageReportDto(from, to, prices.IsEmpty ? null : prices.Currency, rows, byFlavor, prices.IsEmpty ? null : rows.Sum(r => r.Cost ?? 0m));
    }

    private decimal? Cost(UsageTotal total) => prices.Cost(total.SubjectKind, total.Flavor, total.Seconds);

    private static DateTimeOffset? ParseTime(string field, string? value, DateTimeOffset now, List<FieldError> errors)
    {
        try
        {
            return Logs.TimeSpec.Parse(field, value, now);
        }
        catch (NuageException e) when (e.Errors is { Count: > 0 } fieldErrors)
        {
            errors.AddRange(fieldErrors);
            return null;
        }
    }
}
