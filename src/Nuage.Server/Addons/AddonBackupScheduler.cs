using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nuage.Core.Addons;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

/// <summary>What the schedule needs from the add-ons: the list, one backup, and pruning (AddonService in the server).</summary>
internal interface IScheduledAddonBackups
{
    Task<IReadOnlyList<AddonRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Takes and records a backup marked as scheduled.</summary>
    Task<AddonBackupRecord> BackupAsync(AddonRecord addon, CancellationToken cancellationToken);

    /// <summary>Deletes scheduled backups beyond the add-on's retention; returns how many.</summary>
    Task<int> PruneAsync(AddonRecord addon, CancellationToken cancellationToken);
}

/// <summary>
/// Backs add-ons up on their schedule (<see cref="AddonBackupSchedule"/>) and keeps the newest N scheduled backups.
/// Every <see cref="Tick"/> it takes the backups that are due, one add-on at a time. A failed backup is recorded with
/// its error (shown by <c>nuage addon status</c>) and retried after 1, 2, 4 … minutes (at most
/// <see cref="MaxBackoff"/>), never later than the next regular run. The next run is planned from the schedule after
/// each success, so a server that was down for a day takes one backup when it comes back, not one per missed run.
/// </summary>
internal sealed partial class AddonBackupScheduler(IScheduledAddonBackups addons, IStateStore store, TimeProvider time, ILogger<AddonBackupScheduler> logger)
    : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>The delay before retry number <paramref name="failures"/>: 1 minute, doubled each time, at most <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMinutes(Math.Min(MaxBackoff.TotalMinutes, Math.Pow(2, Math.Clamp(failures - 1, 0, 10))));

    /// <summary>The scheduled backups beyond the newest <paramref name="retention"/> (listed newest first); other backups are never pruned.</summary>
    public static List<AddonBackupRecord> Expired(IReadOnlyList<AddonBackupRecord> newestFirst, int retention) =>
        [.. newestFirst.Where(b => b.Scheduled).Skip(retention)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
            {
                LogSchedulerError(logger, e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(Tick, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Takes every backup that is due now; returns how many were attempted.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var attempted = 0;
        foreach (var addon in await addons.ListAsync(cancellationToken))
        {
            if (AddonBackupSchedule.Parse(addon.BackupSchedule) is not { IsOff: false } schedule)
            {
                continue;
            }

            var now = time.GetUtcNow();
            var run = await store.Addons.FindBackupRunAsync(addon.Id, cancellationToken);
            if (run is null)
            {
                // First sight of this add-on or of a new schedule: plan the first run; nothing is due yet.
                await store.Addons.SaveBackupRunAsync(new AddonBackupRunRecord(addon.Id, schedule.NextAfter(now)!.Value), cancellationToken);
                continue;
            }

            if (run.NextAt > now)
            {
                continue;
            }

            attempted++;
            await RunOneAsync(addon, schedule, run, cancellationToken);
        }

        return attempted;
    }

    private async Task RunOneAsync(AddonRecord addon, AddonBackupSchedule schedule, AddonBackupRunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            var backup = await addons.BackupAsync(addon, cancellationToken);
            var pruned = await addons.PruneAsync(addon, cancellationToken);
            var done = time.GetUtcNow();
            await store.Addons.SaveBackupRunAsync(new AddonBackupRunRecord(addon.Id, schedule.NextAfter(done)!.Value) { LastSuccessAt = done }, cancellationToken);
            LogScheduledBackup(logger, addon.Name, backup.Id, pruned);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failed = time.GetUtcNow();
            var failures = run.Failures + 1;
            var regular = schedule.NextAfter(failed)!.Value;
            var retry = failed + Backoff(failures);
            await store.Addons.SaveBackupRunAsync(new AddonBackupRunRecord(addon.Id, retry < regular ? retry : regular)
            {
                LastSuccessAt = run.LastSuccessAt,
                LastFailureAt = failed,
                LastError = e.Message,
                Failures = failures,
            }, cancellationToken);
            LogScheduledBackupFailed(logger, addon.Name, failures, e.Message);
        }
    }

    [LoggerMessage(EventId = 2641, Level = LogLevel.Information, Message = "Add-on {Addon}: scheduled backup {Backup} taken, {Pruned} old scheduled backup(s) deleted")]
    private static partial void LogScheduledBackup(ILogger logger, string addon, string backup, int pruned);

    [LoggerMessage(EventId = 2642, Level = LogLevel.Warning, Message = "Add-on {Addon}: scheduled backup failed ({Failures} in a row), retrying with backoff: {Error}")]
    private static partial void LogScheduledBackupFailed(ILogger logger, string addon, int failures, string error);

    [LoggerMessage(EventId = 2643, Level = LogLevel.Warning, Message = "Add-on backup schedule: {Error}; trying again at the next tick")]
    private static partial void LogSchedulerError(ILogger logger, string error);
}
