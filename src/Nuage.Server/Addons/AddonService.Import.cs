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
    /// <summary>
    /// Copies a live source database (<see cref="ImportAddonRequest.From"/>) into the add-on. The source is logged in to
    /// and counted first (nothing changes if the URL is wrong); then a regular backup of the add-on is taken (its id is
    /// in the result, to undo a successful import by hand); then the engine copies and checks every table's row count.
    /// A failed copy or count leaves the add-on with its previous data (PostgreSQL: one transaction; MariaDB and Redis:
    /// what the import touched is put back). Once started the copy runs to its end even if the client disconnects.
    /// </summary>
    public async Task<AddonImportDto> ImportAsync(Caller caller, string name, ImportAddonRequest? request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Importing into add-ons");
        var addon = await FindAsync(caller, name, cancellationToken);
        RefuseExternal(addon, "importing into it");
        var source = AddonSourceUrl.Parse(AddonImportErrors.Field, request?.From);
        if (source.Type != addon.Type)
        {
            throw NuageException.Invalid(ErrorCodes.AddonImportInvalid, [new FieldError(AddonImportErrors.Field, source.Redacted,
                $"is a {source.Type} URL but add-on \"{addon.Name}\" is {addon.Type}; import from a {addon.Type} source or into a {source.Type} add-on")]);
        }

        var (host, port, password) = Endpoint(addon);
        if (string.Equals(source.Host, host, StringComparison.OrdinalIgnoreCase) && source.Port == port)
        {
            throw NuageException.Invalid(ErrorCodes.AddonImportInvalid, [new FieldError(AddonImportErrors.Field, source.Redacted, $"is add-on \"{addon.Name}\" itself; import from another database")]);
        }

        var engine = engines.Of(addon.Type);
        LogImportStarted(logger, addon.Name, source.Redacted);
        var expected = await engine.CountSourceAsync(source, cancellationToken);
        var safety = await TakeBackupAsync(addon, cancellationToken);
        var scratch = NewScratch(addon);
        try
        {
            var job = new AddonImportJob(addon, host, port, password, source, scratch, step => LogImportProgress(logger, addon.Name, step));
            var tables = await engine.ImportAsync(job, expected, CancellationToken.None);
            LogImported(logger, addon.Name, tables.Count, tables.Sum(t => t.ImportedRows), safety.Id);
            return new AddonImportDto(addon.Name, source.Redacted, safety.Id, tables);
        }
        catch (NuageException e)
        {
            LogImportFailed(logger, addon.Name, e.Message);
            throw;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// Loads a dump file streamed in <paramref name="body"/> (<paramref name="fileName"/> names it in messages): saved
    /// in a fresh root-only scratch folder (never more than the add-on's disk quota), recognised by its first bytes
    /// (refused unless it fits the add-on's type), then the add-on is backed up and the engine loads it; a failure leaves
    /// the add-on's data as it was. Once the upload is complete the load runs to its end even if the client goes away.
    /// </summary>
    public async Task<AddonImportDto> ImportFileAsync(Caller caller, string name, Stream body, long? length, string? fileName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Importing into add-ons");
        var addon = await FindAsync(caller, name, cancellationToken);
        RefuseExternal(addon, "importing into it");
        var display = string.IsNullOrWhiteSpace(fileName) ? "uploaded file" : Path.GetFileName(fileName.Trim()) is { Length: > 0 and <= 200 } shown ? shown : "uploaded file";
        var quota = monitor.QuotaOf(addon);
        if (length > quota)
        {
            throw TooLarge(addon, display, length.Value, quota);
        }

        var (host, port, password) = Endpoint(addon);
        var scratch = NewScratch(addon);
        try
        {
            var file = Path.Combine(scratch, "upload");
            await SaveUploadAsync(addon, body, file, display, quota, cancellationToken);
            var format = AddonDumpFile.Detect(addon, file, display);
            LogImportStarted(logger, addon.Name, $"file {display} ({format})");
            var safety = await TakeBackupAsync(addon, cancellationToken);
            var job = new AddonFileImportJob(addon, host, port, password, file, display, format, scratch, step => LogImportProgress(logger, addon.Name, step));
            var tables = await engines.Of(addon.Type).ImportFileAsync(job, CancellationToken.None);
            LogImported(logger, addon.Name, tables.Count, tables.Sum(t => t.ImportedRows), safety.Id);
            return new AddonImportDto(addon.Name, "file " + display, safety.Id, tables);
        }
        catch (NuageException e)
        {
            LogImportFailed(logger, addon.Name, e.Message);
            throw;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>A fresh folder under the add-on's backups (root's, outside its sandbox), 0700, deleted after the import.</summary>
    private string NewScratch(AddonRecord addon)
    {
        Directory.CreateDirectory(paths.AddonBackups(addon.Id), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var scratch = Path.Combine(paths.AddonBackups(addon.Id), "import-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        Directory.CreateDirectory(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return scratch;
    }

    /// <summary>Copies the upload to a new file (CreateNew: never an existing file or a symlink), stopping past the quota.</summary>
    private static async Task SaveUploadAsync(AddonRecord addon, Stream body, string file, string display, long quota, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > quota)
            {
                throw TooLarge(addon, display, total, quota);
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static NuageException TooLarge(AddonRecord addon, string display, long bytes, long quota) =>
        NuageException.Invalid(ErrorCodes.AddonImportInvalid, [new FieldError(AddonImportErrors.Field, display,
            $"\"{display}\" is larger than add-on \"{addon.Name}\"'s disk quota ({quota.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes; {bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes or more sent): a bigger plan has a bigger quota ('nuage addon plans')")]);

    [LoggerMessage(EventId = 2630, Level = LogLevel.Information, Message = "Add-on {Addon}: importing from {Source}")]
    private static partial void LogImportStarted(ILogger logger, string addon, string source);

    [LoggerMessage(EventId = 2631, Level = LogLevel.Information, Message = "Add-on {Addon}: import {Step}")]
    private static partial void LogImportProgress(ILogger logger, string addon, string step);

    [LoggerMessage(EventId = 2632, Level = LogLevel.Information, Message = "Add-on {Addon}: imported {Tables} table(s), {Rows} row(s) verified; backup {Backup} holds the data from before")]
    private static partial void LogImported(ILogger logger, string addon, int tables, long rows, string backup);

    [LoggerMessage(EventId = 2633, Level = LogLevel.Warning, Message = "Add-on {Addon}: import failed, previous data kept: {Error}")]
    private static partial void LogImportFailed(ILogger logger, string addon, string error);
}
