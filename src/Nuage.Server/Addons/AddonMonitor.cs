using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nuage.Core.Addons;
using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Core.Paths;
using Nuage.Core.Scheduling;
using Nuage.Core.State;
using Nuage.Server.Hosting;
using Nuage.Server.Security;

namespace Nuage.Server.Addons;

/// <summary>One check of an add-on: its data size against its quota, and its open connections.</summary>
internal sealed record AddonCheck(long DiskBytes, long QuotaBytes, int? Connections, bool OverQuota, DateTimeOffset CheckedAt);

/// <summary>
/// Every <see cref="NuageServerOptions.AddonCheckInterval"/>: measures each add-on's data folder (without following a
/// symlink: the folder is the tenant's), asks its server how many connections are open, and enforces the plan's disk
/// quota as a soft quota: over it, writes are refused where the engine has a switch for it (PostgreSQL), lifted once
/// back under. <c>nuage addon status</c> and <c>/metrics</c> show the last check.
/// </summary>
internal sealed partial class AddonMonitor(
    IStateStore store,
    AddonServers servers,
    AddonEngines engines,
    SecretBox box,
    NuagePaths paths,
    NuageServerOptions options,
    TimeProvider time,
    ILogger<AddonMonitor> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, AddonCheck> _checks = new(StringComparer.Ordinal);

    public AddonCheck? Last(string addonId) => _checks.GetValueOrDefault(addonId);

    /// <summary>The add-on's disk quota in bytes: the operator's override, else its plan's.</summary>
    public long QuotaOf(AddonRecord addon) =>
        options.AddonDiskQuotaBytes ?? (long)(AddonPlans.Find(addon.Plan) ?? AddonPlans.Find(AddonPlans.Default)!).DiskMiB * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.AddonCheckInterval, time);
        try
        {
            do
            {
                await CheckAllAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }

    public async Task CheckAllAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<AddonRecord> addons;
        try
        {
            addons = await store.Addons.ListAsync(cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            LogCheckFailed(logger, "(all)", e.Message);
            return;
        }

        foreach (var id in _checks.Keys.Except(addons.Select(a => a.Id)))
        {
            _checks.TryRemove(id, out _);
        }

        SweepDeleted(addons);

        foreach (var addon in addons)
        {
            try
            {
                await CheckAsync(addon, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NuageException or System.Security.Cryptography.CryptographicException)
            {
                LogCheckFailed(logger, addon.Name, e.Message);
            }
        }
    }

    private async Task CheckAsync(AddonRecord addon, CancellationToken cancellationToken)
    {
        if (servers.Spec(addon.Id) is not { Port: { } port } spec)
        {
            return;
        }

        var disk = DataSize(paths.AddonData(addon.Id));
        var quota = QuotaOf(addon);
        var over = disk > quota;
        var previous = _checks.GetValueOrDefault(addon.Id);
        int? connections = null;
        var running = servers.State(addon.Id)?.Status == InstanceStatus.Running;
        if (running)
        {
            var engine = engines.Of(addon.Type);
            var host = AddonServers.HostOf(spec);
            var password = box.Open(addon.SealedPassword, AddonVariables.PasswordContext(addon.Id));
            connections = await engine.ConnectionsAsync(addon, host, port, password, cancellationToken);
            if (previous is null || previous.OverQuota != over)
            {
                // The first check after a start also lifts a read-only switch left by an earlier run that was over quota.
                // A failure throws before the check is saved, so the next one tries again.
                await engine.SetReadOnlyAsync(addon, host, port, password, over, cancellationToken);
                if (over)
                {
                    LogOverQuota(logger, addon.Name, disk, quota);
                }
                else if (previous?.OverQuota == true)
                {
                    LogUnderQuota(logger, addon.Name, disk, quota);
                }
            }
        }
        else
        {
            over = previous?.OverQuota ?? false; // switched when it runs again
        }

        _checks[addon.Id] = new AddonCheck(disk, quota, connections, over, time.GetUtcNow());
    }

    /// <summary>Removes the folder of an add-on deleted more than 7 days ago (what stayed is its newest backup).</summary>
    private void SweepDeleted(IReadOnlyList<AddonRecord> addons)
    {
        if (!Directory.Exists(paths.Addons))
        {
            return;
        }

        var known = addons.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(paths.Addons))
        {
            var id = Path.GetFileName(folder);
            var marker = Path.Combine(paths.AddonBackups(id), AddonService.DeletedMarker);
            if (known.Contains(id) || !File.Exists(marker))
            {
                continue;
            }

            var text = File.ReadLines(marker).FirstOrDefault();
            if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var deleted)
                && time.GetUtcNow() - deleted > TimeSpan.FromDays(AddonService.KeptBackupDays))
            {
                Directory.Delete(folder, recursive: true);
                LogKeptBackupRemoved(logger, id);
            }
        }
    }

    [LoggerMessage(EventId = 2649, Level = LogLevel.Information, Message = "Removed the kept backup of add-on {AddonId}, deleted more than 7 days ago")]
    private static partial void LogKeptBackupRemoved(ILogger logger, string addonId);

    /// <summary>Bytes of the regular files under <paramref name="directory"/>; symlinks (files or folders) are neither followed nor counted.</summary>
    public static long DataSize(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var enumeration = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        long total = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", enumeration))
        {
            try
            {
                total += file.Length;
            }
            catch (FileNotFoundException)
            {
                // Removed by the database meanwhile.
            }
        }

        return total;
    }

    [LoggerMessage(EventId = 2646, Level = LogLevel.Warning, Message = "Add-on {Addon} is over its disk quota ({Bytes} of {Quota} bytes): writes are refused where the engine allows it")]
    private static partial void LogOverQuota(ILogger logger, string addon, long bytes, long quota);

    [LoggerMessage(EventId = 2647, Level = LogLevel.Information, Message = "Add-on {Addon} is back under its disk quota ({Bytes} of {Quota} bytes): writes are allowed again")]
    private static partial void LogUnderQuota(ILogger logger, string addon, long bytes, long quota);

    [LoggerMessage(EventId = 2648, Level = LogLevel.Warning, Message = "Add-on {Addon}: size and connection check failed: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string addon, string reason);
}
