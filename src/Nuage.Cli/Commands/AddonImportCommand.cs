using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Client;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Addons;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage addon import NAME --from URL</c>: copy a live database (another cloud's, another add-on) into an add-on.</summary>
internal static class AddonImportCommand
{
    /// <summary>The environment variable <c>--from-env</c> reads by default, so the URL need not be on a command line.</summary>
    public const string FromVariable = "NUAGE_IMPORT_FROM";

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Add-on to import into" };
        var from = new Option<string?>("--from") { Description = $"Source database URL ({AddonSourceUrl.AcceptedSchemes}); or set {FromVariable} to keep the password off the command line" };
        var json = CommandActions.JsonOption();
        var command = new Command("import", "Copy a live database into an add-on, then check every table's row count (the add-on keeps its data if it fails)") { name, from, json };
        command.Run(context, async (parse, ct) =>
        {
            var url = parse.GetValue(from) ?? Environment.GetEnvironmentVariable(FromVariable);
            if (string.IsNullOrWhiteSpace(url))
            {
                throw CliException.Invalid($"--from: give the source database URL ({AddonSourceUrl.AcceptedSchemes}), or set {FromVariable}");
            }

            using var client = context.Client();
            var imported = await client.ImportAddonAsync(parse.GetValue(name)!, url, ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(imported, CliJson.Default.AddonImportDto);
            }
            else
            {
                Render(context, imported);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One line per table (source rows = imported rows, verified), then the backup that undoes it.</summary>
    public static void Render(CliContext context, AddonImportDto imported)
    {
        context.Output.Table(["TABLE", "SOURCE ROWS", "IMPORTED ROWS"],
            imported.Tables.Select(t => (IReadOnlyList<string>)[t.Name, Number(t.SourceRows), Number(t.ImportedRows)]));
        context.Output.Success($"Imported {Number(imported.Tables.Count)} table(s), {Number(imported.TotalRows)} row(s) verified, from {imported.Source} into {imported.Addon}. "
            + $"Backup {imported.SafetyBackup} holds the add-on's data from before ('nuage addon restore {imported.Addon} {imported.SafetyBackup} --yes' undoes the import).");
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
