using System.Globalization;
using Microsoft.Extensions.Logging;
using Nuage.Core.Auth;
using Nuage.Core.Logging;
using Nuage.Core.State;
using Nuage.Core.Usage;
using Nuage.Server.Apps;
using Nuage.Server.Audit;

namespace Nuage.Server.Usage;

/// <summary>
/// Checks every organisation's month against its ceiling at each usage checkpoint. Crossing 80 % and 100 % raises a
/// warning once a month (persisted, so a restart does not repeat it): an audit entry of the organisation, a platform
/// line in each of its apps' logs (drains deliver it) and a server log line. With the hard stop, at 100 % every
/// running app of the organisation is stopped (and stopped again if restarted before the month ends or the ceiling
/// is raised).
/// </summary>
internal sealed partial class BudgetWatcher(
    IStateStore store, BudgetService budgets, AppOperations operations, AuditTrail audit, ILogSink logs, UsageOptions options, TimeProvider time, ILogger<BudgetWatcher> logger)
    : IAsyncDisposable
{
    public const string WarningAction = "budget.warning";
    public const string HardStopAction = "budget.hard_stop";

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>One pass over every ceiling (the loop's body; tests call it directly).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var month = now.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        foreach (var budget in await store.Budgets.ListAsync(cancellationToken))
        {
            var spent = await budgets.SpentThisMonthAsync(budget.OrgId, cancellationToken);
            var level = spent >= budget.Monthly ? 100 : spent >= budget.Monthly * 0.8m ? 80 : 0;
            var raised = budget.WarnedMonth == month ? budget.WarnedLevel : 0;
            if (level > raised)
            {
                await store.Budgets.MarkWarnedAsync(budget.OrgId, month, level, cancellationToken);
                await WarnAsync(budget, level, spent, cancellationToken);
            }

            if (level == 100 && budget.HardStop)
            {
                await StopAppsAsync(budget, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(options.CheckpointInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    await CheckAsync(_stopping.Token);
                }
                catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
                {
                    LogCheckFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Server stopping.
        }
    }

    private async Task WarnAsync(OrgBudget budget, int level, decimal spent, CancellationToken cancellationToken)
    {
        var org = await store.Orgs.FindByIdAsync(budget.OrgId, cancellationToken);
        var name = org?.Name ?? budget.OrgId;
        var amounts = string.Create(CultureInfo.InvariantCulture, $"{spent:0.00} of {budget.Monthly:0.00} this month");
        var message = level == 100
            ? $"Spending ceiling reached for organisation {name}: {amounts}" + (budget.HardStop ? "; its apps are being stopped (hard stop)." : "; the autoscaler adds no instance.")
            : $"Spending at {level} % of the ceiling for organisation {name}: {amounts}.";
        LogWarning(logger, name, level, message);
        await audit.RecordAsync(SystemIn(budget.OrgId), "platform", WarningAction, name, "budget-" + level, level + "%", message);
        foreach (var app in await AppsOfAsync(budget.OrgId, cancellationToken))
        {
            logs.Write(new LogRecord(time.GetUtcNow(), app.Id, LogSource.Platform, message));
        }
    }

    private async Task StopAppsAsync(OrgBudget budget, CancellationToken cancellationToken)
    {
        foreach (var app in (await AppsOfAsync(budget.OrgId, cancellationToken)).Where(a => a.Running))
        {
            var caller = SystemIn(budget.OrgId);
            await operations.StopAsync(caller, app.Name, cancellationToken);
            LogHardStop(logger, app.Name);
            logs.Write(new LogRecord(time.GetUtcNow(), app.Id, LogSource.Platform, $"Stopped: the organisation's spending ceiling ({budget.Monthly.ToString("0.00", CultureInfo.InvariantCulture)}) is reached and its hard stop is on."));
            await audit.RecordAsync(caller, "platform", HardStopAction, app.Name, "budget-hard-stop", "succeeded", null);
        }
    }

    private async Task<List<Core.Apps.AppConfig>> AppsOfAsync(string orgId, CancellationToken cancellationToken)
    {
        var found = new List<Core.Apps.AppConfig>();
        string? cursor = null;
        IReadOnlyList<Core.Apps.AppConfig> page;
        while ((page = await store.Apps.ListAsync(cursor, 200, cancellationToken)).Count > 0)
        {
            found.AddRange(page.Where(a => a.OrgId == orgId));
            cursor = page[^1].Name;
        }

        return found;
    }

    /// <summary>The platform acting inside one organisation (so audit entries land in that organisation's trail).</summary>
    private static Caller SystemIn(string orgId) => Caller.System with { OrgId = orgId, Activity = new CallerActivity { OrgId = orgId } };

    [LoggerMessage(EventId = 1260, Level = LogLevel.Warning, Message = "Budget of organisation {Org} at {Level} %: {Detail}")]
    private static partial void LogWarning(ILogger logger, string org, int level, string detail);

    [LoggerMessage(EventId = 1261, Level = LogLevel.Warning, Message = "Stopped app {App}: its organisation's spending ceiling is reached (hard stop)")]
    private static partial void LogHardStop(ILogger logger, string app);

    [LoggerMessage(EventId = 1262, Level = LogLevel.Warning, Message = "Could not check the spending ceilings")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
