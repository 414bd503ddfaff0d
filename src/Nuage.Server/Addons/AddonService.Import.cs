using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Nuage.Core.Addons;
using Nuage.Core.Api;
using Nuage.Core.Auth;
using Nuage.Core.Errors;

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
        var scratch = Path.Combine(paths.AddonBackups(addon.Id), "import-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        Directory.CreateDirectory(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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

    [LoggerMessage(EventId = 2630, Level = LogLevel.Information, Message = "Add-on {Addon}: importing from {Source}")]
    private static partial void LogImportStarted(ILogger logger, string addon, string source);

    [LoggerMessage(EventId = 2631, Level = LogLevel.Information, Message = "Add-on {Addon}: import {Step}")]
    private static partial void LogImportProgress(ILogger logger, string addon, string step);

    [LoggerMessage(EventId = 2632, Level = LogLevel.Information, Message = "Add-on {Addon}: imported {Tables} table(s), {Rows} row(s) verified; backup {Backup} holds the data from before")]
    private static partial void LogImported(ILogger logger, string addon, int tables, long rows, string backup);

    [LoggerMessage(EventId = 2633, Level = LogLevel.Warning, Message = "Add-on {Addon}: import failed, previous data kept: {Error}")]
    private static partial void LogImportFailed(ILogger logger, string addon, string error);
}
