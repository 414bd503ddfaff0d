using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Addons;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage addon backup|backups|restore</c>: on-demand backups, checksum-verified restores.</summary>
internal static class AddonBackupCommands
{
    public static IEnumerable<Command> Create(CliContext context) => [Backup(context), Backups(context), Restore(context), Update(context)];

    public static Option<string?> ScheduleOption() => new("--backup-schedule")
    {
        Description = $"When the server backs it up by itself: {AddonBackupSchedule.Accepted} (default {AddonBackupSchedule.DefaultText})",
    };

    public static Option<int?> RetentionOption() => new("--backup-retention")
    {
        Description = $"Scheduled backups kept, 1-{AddonBackupSchedule.MaxRetention} (default {AddonBackupSchedule.DefaultRetention}; on-demand backups are never deleted)",
    };

    private static Command Update(CliContext context)
    {
        var name = NameArgument();
        var schedule = ScheduleOption();
        var retention = RetentionOption();
        var json = CommandActions.JsonOption();
        var command = new Command("update", "Change an add-on's backup schedule and retention") { name, schedule, retention, json };
        command.Run(context, async (parse, ct) =>
        {
            if (parse.GetValue(schedule) is null && parse.GetValue(retention) is null)
            {
                throw CliException.Invalid("give --backup-schedule and/or --backup-retention");
            }

            using var client = context.Client();
            var updated = await client.SetAddonBackupPolicyAsync(parse.GetValue(name)!,
                new AddonBackupPolicyRequest { BackupSchedule = parse.GetValue(schedule), BackupRetention = parse.GetValue(retention) }, ct);
            AddonCommands.Render(context, updated, parse.GetValue(json),
                $"Add-on {updated.Name}: backups {updated.BackupSchedule}, keeping {updated.BackupRetention.ToString(CultureInfo.InvariantCulture)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "Add-on name" };

    private static Command Backup(CliContext context)
    {
        var name = NameArgument();
        var json = CommandActions.JsonOption();
        var command = new Command("backup", "Back up an add-on now (pg_dump -Fc, mariadb-dump --single-transaction, Redis RDB)") { name, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var backup = await client.BackupAddonAsync(parse.GetValue(name)!, ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(backup, CliJson.Default.AddonBackupDto);
            }
            else
            {
                context.Output.Success($"Backup {backup.Id}: {backup.SizeBytes.ToString(CultureInfo.InvariantCulture)} bytes, sha256 {backup.Sha256}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Backups(CliContext context)
    {
        var name = NameArgument();
        var json = CommandActions.JsonOption();
        var command = new Command("backups", "List an add-on's backups (size, time, SHA-256)") { name, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var backups = await client.ListAddonBackupsAsync(parse.GetValue(name)!, ct);
            context.Output.Listing(
                backups,
                parse.GetValue(json),
                CliJson.Default.ListAddonBackupDto,
                ["BACKUP", "SIZE", "TAKEN", "BY", "SHA256"],
                b => [b.Id, b.SizeBytes.ToString(CultureInfo.InvariantCulture), b.CreatedAt.ToString("u", CultureInfo.InvariantCulture), b.Scheduled ? "schedule" : "request", b.Sha256],
                $"No backups; take one with 'nuage addon backup {parse.GetValue(name)}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Restore(CliContext context)
    {
        var name = NameArgument();
        var backup = new Argument<string>("backup") { Description = "Backup id, as 'nuage addon backups NAME' lists it" };
        var into = new Option<string?>("--into") { Description = "Restore into a new add-on of this name (same type and plan) instead" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Confirm replacing the add-on's current data (not needed with --into)" };
        var json = CommandActions.JsonOption();
        var command = new Command("restore", "Restore a backup (its checksum is verified first; a bad backup leaves the database untouched)") { name, backup, into, yes, json };
        command.Run(context, async (parse, ct) =>
        {
            var target = parse.GetValue(into);
            if (target is null && !parse.GetValue(yes))
            {
                throw CliException.Invalid($"restoring replaces the current data of {parse.GetValue(name)}; add --yes to confirm, or --into NEW to restore into a new add-on");
            }

            using var client = context.Client();
            var restored = await client.RestoreAddonAsync(parse.GetValue(name)!, parse.GetValue(backup)!, target, ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(restored, CliJson.Default.AddonDto);
            }
            else
            {
                context.Output.Success($"Restored {parse.GetValue(backup)} into {restored.Name} ({restored.Status}).");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
