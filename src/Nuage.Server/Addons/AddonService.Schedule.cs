using Microsoft.Extensions.Logging;
using Nuage.Core.Addons;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

internal sealed partial class AddonService : IScheduledAddonBackups
{
    /// <summary>Changes when the add-on is backed up by itself and how many scheduled backups are kept; the next run is recomputed.</summary>
    public async Task<AddonDto> SetBackupPolicyAsync(Caller caller, string name, AddonBackupPolicyRequest? request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Changing add-on backup schedules");
        var addon = await FindAsync(caller, name, cancellationToken);
        RefuseExternal(addon, "scheduling its backups");
        var errors = new List<FieldError>();
        var schedule = ValidateBackupPolicy(request?.BackupSchedule, request?.BackupRetention, errors) ?? addon.BackupSchedule;
        NuageException.ThrowIfInvalid(ErrorCodes.InvalidAddon, errors);
        var retention = request?.BackupRetention ?? addon.BackupRetention;
        await store.Addons.SaveBackupPolicyAsync(addon.Id, schedule, retention, cancellationToken);
        LogBackupPolicy(logger, addon.Name, schedule, retention);
        return await DescribeAsync(addon with { BackupSchedule = schedule, BackupRetention = retention }, cancellationToken);
    }

    Task<IReadOnlyList<AddonRecord>> IScheduledAddonBackups.ListAsync(CancellationToken cancellationToken) => store.Addons.ListAsync(cancellationToken);

    Task<AddonBackupRecord> IScheduledAddonBackups.BackupAsync(AddonRecord addon, CancellationToken cancellationToken) =>
        TakeBackupAsync(addon, cancellationToken, scheduled: true);

    /// <summary>Deletes the scheduled backups beyond the newest <see cref="AddonRecord.BackupRetention"/> (file, then record).</summary>
    async Task<int> IScheduledAddonBackups.PruneAsync(AddonRecord addon, CancellationToken cancellationToken)
    {
        var old = AddonBackupScheduler.Expired(await store.Addons.ListBackupsAsync(addon.Id, cancellationToken), addon.BackupRetention);
        foreach (var backup in old)
        {
            File.Delete(Path.Combine(paths.AddonBackups(addon.Id), backup.File));
            await store.Addons.DeleteBackupAsync(addon.Id, backup.Id, cancellationToken);
        }

        return old.Count;
    }

    [LoggerMessage(EventId = 2640, Level = LogLevel.Information, Message = "Add-on {Addon}: backups {Schedule}, keeping {Retention}")]
    private static partial void LogBackupPolicy(ILogger logger, string addon, string schedule, int retention);
}
