using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Client;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Addons;
using Nuage.Core.Api;
using Spectre.Console;

namespace Nuage.Cli.Commands;

/// <summary>
/// <c>nuage addon import NAME --from URL|FILE</c>: copy a live database (another cloud's, another add-on) into an add-on,
/// or upload a dump file (PostgreSQL custom-format or plain SQL, MariaDB SQL, Redis RDB) with its progress shown.
/// </summary>
internal static class AddonImportCommand
{
    /// <summary>The environment variable <c>--from-env</c> reads by default, so the URL need not be on a command line.</summary>
    public const string FromVariable = "NUAGE_IMPORT_FROM";

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Add-on to import into" };
        var from = new Option<string?>("--from")
        {
            Description = $"Source database URL ({AddonSourceUrl.AcceptedSchemes}), or set {FromVariable} to keep the password off the command line; "
                + "or a dump file: pg_dump -Fc or plain SQL (postgresql), mariadb-dump SQL (mysql), RDB (redis)",
        };
        var json = CommandActions.JsonOption();
        var command = new Command("import", "Copy a live database or a dump file into an add-on, then check every table's row count (the add-on keeps its data if it fails)") { name, from, json };
        command.Run(context, async (parse, ct) =>
        {
            var url = parse.GetValue(from) ?? Environment.GetEnvironmentVariable(FromVariable);
            if (string.IsNullOrWhiteSpace(url))
            {
                throw CliException.Invalid($"--from: give the source database URL ({AddonSourceUrl.AcceptedSchemes}), or set {FromVariable}");
            }

            using var client = context.Client();
            var addon = parse.GetValue(name)!;
            var imported = url.Contains("://", StringComparison.Ordinal)
                ? await client.ImportAddonAsync(addon, url, ct)
                : await UploadAsync(context, client, addon, DumpFile(context, url), ct);
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

    /// <summary>The dump file <paramref name="value"/> names, checked here so a typo exits 2 before any upload (the server checks its content).</summary>
    private static string DumpFile(CliContext context, string value)
    {
        var path = Path.GetFullPath(value, context.Env.WorkingDirectory);
        var accepted = $"give a source database URL ({AddonSourceUrl.AcceptedSchemes}) or a readable dump file";
        if (Directory.Exists(path))
        {
            throw CliException.Invalid($"--from: \"{value}\" is a directory; {accepted}");
        }

        if (!File.Exists(path))
        {
            throw CliException.Invalid($"--from: \"{value}\" is neither a URL nor an existing file; {accepted}");
        }

        try
        {
            using var probe = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Invalid($"--from: \"{value}\" cannot be read ({e.Message}); {accepted}");
        }

        return path;
    }

    /// <summary>Sends the file with a progress bar on a terminal (25 % steps on stderr otherwise), then waits for the server's load and check.</summary>
    private static async Task<AddonImportDto> UploadAsync(CliContext context, NuageClient client, string addon, string path, CancellationToken ct)
    {
        var length = new FileInfo(path).Length;
        var file = Path.GetFileName(path);
        if (context.Output.Console is { } console)
        {
            AddonImportDto? imported = null;
            await console.Progress().AutoClear(true).StartAsync(async progress =>
            {
                var upload = progress.AddTask(Markup.Escape($"uploading {file}"), maxValue: Math.Max(1, length));
                var load = progress.AddTask(Markup.Escape($"loading into {addon}"), autoStart: false).IsIndeterminate();
                imported = await client.ImportAddonFileAsync(addon, path, new Reporter(sent =>
                {
                    upload.Value = sent;
                    if (sent >= length)
                    {
                        load.StartTask();
                    }
                }), ct);
                load.Value = load.MaxValue;
            });
            return imported!;
        }

        var error = context.Env.Error;
        error.WriteLine($"uploading {file} ({Number(length)} bytes) into add-on {addon}");
        var step = 0;
        var result = await client.ImportAddonFileAsync(addon, path, new Reporter(sent =>
        {
            var percent = length == 0 ? 100 : (int)(sent * 100 / length);
            if (percent / 25 > step)
            {
                step = percent / 25;
                error.WriteLine($"  {Number(sent)} of {Number(length)} bytes sent ({Number(step * 25)}%)" + (step == 4 ? $"; the server is loading and checking it" : string.Empty));
            }
        }), ct);
        return result;
    }

    /// <summary>Reports on the sending thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Reporter(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
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
