using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Nuage.Core.Addons;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

internal sealed partial class AddonService
{
    /// <summary>Takes a backup of the live database (pg_dump -Fc, mariadb-dump --single-transaction, Redis RDB) and records its size and SHA-256.</summary>
    public async Task<AddonBackupDto> BackupAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Backing up add-ons");
        var addon = await FindAsync(caller, name, cancellationToken);
        RefuseExternal(addon, "backing it up");
        return ToDto(await TakeBackupAsync(addon, cancellationToken));
    }

    /// <summary>Backs up <paramref name="addon"/> now and records it (used on demand, before an import and by the schedule).</summary>
    internal async Task<AddonBackupRecord> TakeBackupAsync(AddonRecord addon, CancellationToken cancellationToken, bool scheduled = false)
    {
        var (host, port, password) = Endpoint(addon);
        var engine = engines.Of(addon.Type);
        var id = "bk_" + time.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var directory = paths.AddonBackups(addon.Id);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var file = Path.Combine(directory, $"{id}.{engine.BackupExtension}");
        try
        {
            await engine.BackupAsync(addon, host, port, password, file, cancellationToken);
        }
        catch
        {
            File.Delete(file);
            throw;
        }

        var record = new AddonBackupRecord(id, addon.Id, Path.GetFileName(file), new FileInfo(file).Length, await Sha256Async(file, cancellationToken), time.GetUtcNow())
        {
            Scheduled = scheduled,
        };
        await store.Addons.SaveBackupAsync(record, cancellationToken);
        LogBackedUp(logger, addon.Name, id, record.SizeBytes);
        return record;
    }

    public async Task<IReadOnlyList<AddonBackupDto>> ListBackupsAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Listing add-on backups");
        var addon = await FindAsync(caller, name, cancellationToken);
        return [.. (await store.Addons.ListBackupsAsync(addon.Id, cancellationToken)).Select(ToDto)];
    }

    /// <summary>
    /// Restores a backup into the add-on, or into a new add-on of the same type and plan (<paramref name="into"/>). The
    /// file's SHA-256 is checked first: a missing, changed or unreadable backup is refused and nothing is touched.
    /// </summary>
    public async Task<AddonDto> RestoreAsync(Caller caller, string name, string backupId, string? into, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Restoring add-ons");
        var source = await FindAsync(caller, name, cancellationToken);
        RefuseExternal(source, "restoring it");
        var backup = (await store.Addons.ListBackupsAsync(source.Id, cancellationToken)).FirstOrDefault(b => b.Id == backupId)
            ?? throw NuageException.Invalid(ErrorCodes.AddonBackupInvalid, [new FieldError("backup", backupId, $"is not a backup of add-on \"{name}\"; 'nuage addon backups {name}' lists them")]);
        var file = Path.Combine(paths.AddonBackups(source.Id), backup.File);
        string actual;
        try
        {
            actual = await Sha256Async(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NuageException.Invalid(ErrorCodes.AddonBackupInvalid, [new FieldError("backup", backupId, $"cannot be read ({e.Message}); the database was not touched")]);
        }

        if (!string.Equals(actual, backup.Sha256, StringComparison.Ordinal))
        {
            throw NuageException.Invalid(ErrorCodes.AddonBackupInvalid, [new FieldError("backup", backupId,
                $"fails its checksum (SHA-256 {actual}, recorded {backup.Sha256}): the file changed since it was taken; the database was not touched")]);
        }

        var target = source;
        if (into is not null)
        {
            await CreateAsync(caller, new CreateAddonRequest { Name = into, Type = source.Type, Plan = source.Plan, Version = source.Version }, cancellationToken);
            target = await FindAsync(caller, into, cancellationToken);
        }

        var (host, port, password) = Endpoint(target);
        if (target.Type == AddonTypes.Redis)
        {
            await servers.StopAsync(target.Id, forget: false, cancellationToken);
            RedisEngine.ReplaceData(paths.AddonData(target.Id), file);
            await StartAndWaitAsync(target, password, cancellationToken);
            await RedisEngine.ResumeAppendOnlyAsync(host, port, password, cancellationToken);
        }
        else
        {
            await engines.Of(target.Type).RestoreAsync(target, host, port, password, file, cancellationToken);
        }

        LogRestored(logger, target.Name, backupId, source.Name);
        return await DescribeAsync(target, cancellationToken);
    }

    private (string Host, int Port, string Password) Endpoint(AddonRecord addon)
    {
        var spec = servers.Spec(addon.Id)
            ?? throw new NuageException(ErrorKind.Failed, ErrorCodes.AddonBackupFailed, $"Add-on \"{addon.Name}\" has no running server; 'nuage addon restart {addon.Name}' first.");
        return (AddonServers.HostOf(spec), spec.Port!.Value, box.Open(addon.SealedPassword, AddonVariables.PasswordContext(addon.Id)));
    }

    private static async Task<string> Sha256Async(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    private static AddonBackupDto ToDto(AddonBackupRecord backup) => new(backup.Id, backup.SizeBytes, backup.Sha256, backup.CreatedAt) { Scheduled = backup.Scheduled };

    [LoggerMessage(EventId = 2620, Level = LogLevel.Information, Message = "Add-on {Addon}: backup {Backup} taken ({Bytes} bytes)")]
    private static partial void LogBackedUp(ILogger logger, string addon, string backup, long bytes);

    [LoggerMessage(EventId = 2621, Level = LogLevel.Information, Message = "Add-on {Addon}: restored backup {Backup} of {Source}")]
    private static partial void LogRestored(ILogger logger, string addon, string backup, string source);
}
