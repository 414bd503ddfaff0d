using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Nuage.Core.Addons;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Apps;
using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

internal sealed partial class AddonService
{
    /// <summary>Checks every field at once; each error names the field, the value and what is accepted.</summary>
    private static (string Name, AddonType Type, AddonPlan Plan, string Version) Validate(CreateAddonRequest? request)
    {
        var errors = new List<FieldError>();
        var name = request?.Name;
        if (!AppNames.IsValid(name))
        {
            errors.Add(new FieldError("name", name, $"{Shown(name)} is not a valid add-on name; use {AppNames.Accepted}"));
        }

        var type = AddonTypes.Find(request?.Type);
        if (type is null)
        {
            errors.Add(new FieldError("type", request?.Type, $"{Shown(request?.Type)} is not an add-on type; accepted: {AddonTypes.Accepted}"));
        }

        var plan = AddonPlans.Find(request?.Plan ?? AddonPlans.Default);
        if (plan is null)
        {
            errors.Add(new FieldError("plan", request?.Plan, $"{Shown(request?.Plan)} is not a plan; accepted: {AddonPlans.Accepted} ('nuage addon plans' shows their sizes)"));
        }

        var version = request?.Version ?? type?.DefaultVersion;
        if (type is not null && !type.Versions.Contains(version, StringComparer.Ordinal))
        {
            errors.Add(new FieldError("version", version, $"{Shown(version)} is not a {type.Name} version this server offers; accepted: {string.Join(", ", type.Versions)}"));
        }

        ValidateBackupPolicy(request?.BackupSchedule, request?.BackupRetention, errors);
        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidAddon, errors);
        }

        return (name!, type!, plan!, version!);
    }

    /// <summary>Checks a schedule and a retention given (null: not given); returns the schedule's canonical form.</summary>
    private static string? ValidateBackupPolicy(string? schedule, int? retention, List<FieldError> errors)
    {
        var parsed = schedule is null ? null : AddonBackupSchedule.Parse(schedule);
        if (schedule is not null && parsed is null)
        {
            errors.Add(new FieldError("backupSchedule", schedule, $"{Shown(schedule)} is not a backup schedule; accepted: {AddonBackupSchedule.Accepted}"));
        }

        if (retention is < 1 or > AddonBackupSchedule.MaxRetention)
        {
            errors.Add(new FieldError("backupRetention", retention?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"keeps {retention} backups; accepted: 1 to {AddonBackupSchedule.MaxRetention} scheduled backups"));
        }

        return parsed?.Text;
    }

    private static string Shown(string? value) => value is null ? "nothing" : $"\"{value}\"";

    private async Task StartAndWaitAsync(AddonRecord addon, string password, CancellationToken cancellationToken)
    {
        InstanceSpec spec;
        try
        {
            spec = await servers.StartAsync(addon, password, cancellationToken);
        }
        catch (NuageException e) when (e.Code == ErrorCodes.PreRunHookFailed && servers.Spec(addon.Id) is not null)
        {
            throw await StartFailedAsync(addon, "its initialisation failed");
        }

        await firewall.SyncAsync(cancellationToken);
        var deadline = time.GetUtcNow() + ReadyTimeout;
        while (time.GetUtcNow() < deadline)
        {
            var state = servers.State(addon.Id);
            if (state is null || state.Status is InstanceStatus.CrashLooping or InstanceStatus.Exited or InstanceStatus.OomKilled or InstanceStatus.Stopped)
            {
                throw await StartFailedAsync(addon, $"its server is {state?.Status.ToString().ToLowerInvariant() ?? "gone"}");
            }

            if (state.Status == InstanceStatus.Running && await AcceptsAsync(AddonServers.HostOf(spec), spec.Port!.Value, cancellationToken)
                && await engines.Of(addon.Type).AnswersAsync(AddonServers.HostOf(spec), spec.Port!.Value, cancellationToken))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }

        throw await StartFailedAsync(addon, $"its server did not accept connections within {ReadyTimeout.TotalSeconds:0} s");
    }

    private async Task<NuageException> StartFailedAsync(AddonRecord addon, string reason) =>
        new(ErrorKind.Failed, ErrorCodes.AddonStartFailed,
            $"Add-on \"{addon.Name}\" did not start: {reason}. Its last lines:\n{await servers.LastLinesSettledAsync(addon.Id) ?? "(none)"}");

    private static async Task<bool> AcceptsAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(host, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>How long the newest backup of a deleted add-on stays on disk.</summary>
    public const int KeptBackupDays = 7;

    /// <summary>The file a deleted add-on's backups folder holds: when it was deleted (the monitor removes the folder 7 days later).</summary>
    public const string DeletedMarker = "DELETED";

    /// <summary>
    /// Stops the server and deletes the add-on's record, links, files and logs; with <paramref name="kept"/>, that backup
    /// file stays in the add-on's backups folder with a <see cref="DeletedMarker"/> file, everything else goes.
    /// </summary>
    private async Task RemoveAsync(AddonRecord addon, AddonBackupRecord? kept = null)
    {
        await servers.StopAsync(addon.Id, forget: true, CancellationToken.None);
        await drains.DeleteAppAsync(addon.Id, CancellationToken.None);
        await store.Addons.DeleteAsync(addon.Id, CancellationToken.None);
        var folders = kept is null
            ? new[] { paths.Addon(addon.Id), paths.InstanceLogs(addon.Id) }
            : [paths.AddonData(addon.Id), paths.AddonConfig(addon.Id), paths.InstanceLogs(addon.Id)];
        foreach (var dir in folders)
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        if (kept is not null)
        {
            var backups = paths.AddonBackups(addon.Id);
            foreach (var entry in new DirectoryInfo(backups).EnumerateFileSystemInfos())
            {
                if (entry.Name != kept.File)
                {
                    if (entry is DirectoryInfo folder)
                    {
                        folder.Delete(recursive: true);
                    }
                    else
                    {
                        entry.Delete();
                    }
                }
            }

            await File.WriteAllTextAsync(Path.Combine(backups, DeletedMarker),
                $"{time.GetUtcNow():O}\nadd-on {addon.Name} ({addon.Type} {addon.Version}) deleted; {kept.File} (sha256 {kept.Sha256}) is removed after {KeptBackupDays} days\n");
        }
    }

    private async Task<AddonDto> DescribeAsync(AddonRecord addon, CancellationToken cancellationToken)
    {
        if (addon.IsExternal)
        {
            return await DescribeExternalAsync(addon, cancellationToken);
        }

        var spec = servers.Spec(addon.Id);
        var state = servers.State(addon.Id);
        var status = state?.Status switch
        {
            InstanceStatus.Running => AddonStatuses.Running,
            InstanceStatus.Starting => AddonStatuses.Starting,
            InstanceStatus.Crashed => AddonStatuses.Restarting,
            null when spec is null => AddonStatuses.Starting,
            _ => AddonStatuses.Failed,
        };
        var check = monitor.Last(addon.Id);
        if (status == AddonStatuses.Running && check is { OverQuota: true })
        {
            status = AddonStatuses.OverQuota;
        }

        var fresh = await store.Addons.FindByNameAsync(addon.Name, cancellationToken) ?? addon;
        var run = await store.Addons.FindBackupRunAsync(addon.Id, cancellationToken);
        return new AddonDto(
            addon.Name,
            addon.Type,
            addon.Version,
            addon.Plan,
            status,
            spec is null ? string.Empty : AddonServers.HostOf(spec),
            spec?.Port ?? 0,
            await LinkedAppNamesAsync(addon.Id, cancellationToken),
            addon.CreatedAt)
        {
            LastError = status is AddonStatuses.Running or AddonStatuses.OverQuota ? null : await servers.LastLinesAsync(addon.Id) ?? fresh.LastError,
            DiskBytes = check?.DiskBytes,
            DiskQuotaBytes = monitor.QuotaOf(addon),
            Connections = check?.Connections,
            CheckedAt = check?.CheckedAt,
            Restarts = state?.Restarts ?? 0,
            Pid = state is { IsLive: true } ? state.Pid : 0,
            MemoryBytes = servers.Usage(addon.Id)?.MemoryBytes,
            BackupSchedule = fresh.BackupSchedule,
            BackupRetention = fresh.BackupRetention,
            NextBackupAt = AddonBackupSchedule.Parse(fresh.BackupSchedule) is { IsOff: false } schedule
                ? (run?.NextAt ?? schedule.NextAfter(time.GetUtcNow()))
                : null,
            LastBackupError = run?.Failures > 0 ? run.LastError : null,
            BackupFailures = run?.Failures ?? 0,
        };
    }

    private async Task<IReadOnlyList<string>> LinkedAppNamesAsync(string addonId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var link in await store.Addons.ListLinksAsync(addonId, null, cancellationToken))
        {
            if (await store.Apps.FindByIdAsync(link.AppId, cancellationToken) is { } app)
            {
                names.Add(app.Name);
            }
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    private async Task<AppConfig> FindAppAsync(Caller caller, string? appName, CancellationToken cancellationToken)
    {
        if (!AppNames.IsValid(appName))
        {
            throw NuageException.Invalid(ErrorCodes.InvalidAddon, [new FieldError("app", appName, $"{Shown(appName)} is not a valid app name; use {AppNames.Accepted}")]);
        }

        return await apps.FindAsync(caller, appName!, cancellationToken);
    }

    [LoggerMessage(EventId = 2610, Level = LogLevel.Information, Message = "Add-on {Addon} created ({Type}, plan {Plan})")]
    private static partial void LogCreated(ILogger logger, string addon, string type, string plan);

    [LoggerMessage(EventId = 2611, Level = LogLevel.Information, Message = "Add-on {Addon} deleted ({Links} link(s) removed)")]
    private static partial void LogDeleted(ILogger logger, string addon, int links);
}
