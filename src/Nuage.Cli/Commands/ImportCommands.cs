using System.CommandLine;
using Nuage.Cli.Client;
using Nuage.Cli.Hosting;
using Nuage.Cli.Import;
using Nuage.Cli.Manifest;
using Nuage.Core.Addons;
using Nuage.Core.Apps;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage import heroku|clever</c>: create an app from another platform's files, and say what did not carry over.</summary>
internal static class ImportCommands
{
    public static Command Create(CliContext context)
    {
        var import = new Command("import", "Create an app from a Heroku or Clever Cloud app's files; prints what was not carried over");
        import.Subcommands.Add(Heroku(context));
        import.Subcommands.Add(Clever(context));
        return import;
    }

    private static Option<string> DirOption() => new("--dir") { Description = "The app's source directory", DefaultValueFactory = _ => "." };

    private static Option<string?> AppOption() => new("--app", "-a") { Description = "Name of the new app (default: the source's name, else the directory's)" };

    private static Option<bool> WithAddonsOption() => new("--with-addons")
    {
        Description = "Create and link a matching add-on for each database found (POSTGRESQL_ADDON_URI, MYSQL_ADDON_URI, REDIS_URL, DATABASE_URL, …) and copy its data from the old URL ('nuage addon import')",
    };

    private static Option<string?> RuntimeOption() => new("--runtime", "-t") { Description = $"Runtime ({string.Join(", ", Runtimes.All)}; default: detected from the files)" };

    private static Command Heroku(CliContext context)
    {
        var dir = DirOption();
        var config = new Option<string?>("--config") { Description = "A file with the output of 'heroku config -a APP' (KEY: value lines)" };
        var app = AppOption();
        var runtime = RuntimeOption();
        var withAddons = WithAddonsOption();
        var command = new Command("heroku", "Import a Heroku app: app.json (env, formation, addons), Procfile (release included) and 'heroku config' output")
        {
            dir, config, app, runtime, withAddons,
        };
        command.Run(context, async (parse, ct) =>
        {
            var directory = Directory(context, parse.GetValue(dir)!);
            var configFile = parse.GetValue(config) is { } c ? Existing(context, c, "--config") : null;
            var imported = await HerokuSource.ReadAsync(directory, configFile, parse.GetValue(app), parse.GetValue(runtime), ct, parse.GetValue(withAddons));
            return await ApplyAsync(context, imported, ct);
        });
        return command;
    }

    private static Command Clever(CliContext context)
    {
        var env = new Option<string>("--env") { Description = "A file with the output of 'clever env' (NAME=\"value\" lines)", Required = true };
        var dir = DirOption();
        var app = AppOption();
        var runtime = RuntimeOption();
        var addons = new Option<bool>("--create-addons") { Description = "Create and link a Nuage add-on for each Clever Cloud add-on whose variables are found (data is not copied)" };
        var withAddons = WithAddonsOption();
        var command = new Command("clever", "Import a Clever Cloud app: .clever.json, clevercloud/*.json (e.g. php.json webroot) and 'clever env' output")
        {
            env, dir, app, runtime, addons, withAddons,
        };
        command.Run(context, async (parse, ct) =>
        {
            var directory = Directory(context, parse.GetValue(dir)!);
            var envFile = Existing(context, parse.GetValue(env)!, "--env");
            var imported = await CleverSource.ReadAsync(directory, envFile, parse.GetValue(app), parse.GetValue(runtime), parse.GetValue(addons), ct, parse.GetValue(withAddons));
            return await ApplyAsync(context, imported, ct);
        });
        return command;
    }

    /// <summary>Creates what the source describes through the same plan and steps as 'nuage apply', then prints the report.</summary>
    private static async Task<int> ApplyAsync(CliContext context, ImportedApp imported, CancellationToken cancellationToken)
    {
        using var client = await ApplyCommands.ClientForAsync(context, null, cancellationToken);
        var live = await LiveInstall.ReadAsync(client, cancellationToken);
        var name = imported.Manifest.Apps[0].Name;
        if (live.App(name) is not null)
        {
            throw CliException.Invalid($"app \"{name}\" already exists; an import creates a new app: pass --app OTHER-NAME");
        }

        var plan = ApplyPlanner.Plan(imported.Manifest, live, new Dictionary<string, string>(), prune: false) with { Notes = [] };
        var code = await new ApplyRun(context, json: false, "the import").ExecuteAsync(client, plan, yes: true, dryRun: false, cancellationToken);
        if (code == ExitCodes.Ok)
        {
            code = await ImportDataAsync(context, client, imported, cancellationToken);
        }
        context.Output.Line();
        context.Output.Line("Carried over:");
        foreach (var item in imported.Report.Carried)
        {
            context.Output.Line("  " + item);
        }

        context.Output.Line();
        context.Output.Line(imported.Report.NotCarried.Count == 0 ? "Everything was carried over." : "Not carried over (read each line):");
        foreach (var (item, reason) in imported.Report.NotCarried)
        {
            context.Output.Line($"  {item}: {reason}");
        }

        if (code == ExitCodes.Ok)
        {
            context.Output.Line();
            context.Output.Success($"Next: deploy the code with 'nuage deploy --app {name}' from the app's directory.");
        }

        return code;
    }

    /// <summary>
    /// --with-addons: copies each new add-on's data from the old database (the add-ons exist now). A failed copy is
    /// reported with its reason and makes the command exit 1; the other add-ons are still copied.
    /// </summary>
    private static async Task<int> ImportDataAsync(CliContext context, NuageClient client, ImportedApp imported, CancellationToken cancellationToken)
    {
        var code = ExitCodes.Ok;
        foreach (var source in imported.DataSources)
        {
            var shown = AddonSourceUrl.RedactRaw(source.Url);
            context.Output.Line($"Copying data into add-on {source.Addon} from {source.Variable} ({shown})…");
            try
            {
                var result = await client.ImportAddonAsync(source.Addon, source.Url, cancellationToken);
                AddonImportCommand.Render(context, result);
                imported.Report.Carry($"data of add-on {source.Addon}: {result.Tables.Count} table(s), {result.TotalRows} row(s) copied from {source.Variable} and verified");
            }
            catch (ApiException e)
            {
                context.Output.Failure($"Copying into {source.Addon} failed: {e.Message}");
                imported.Report.Skip($"data of add-on {source.Addon}", $"the copy from {source.Variable} failed: {e.Message}; fix it and run 'nuage addon import {source.Addon} --from URL'");
                code = ExitCodes.Failed;
            }
        }

        return code;
    }

    private static string Directory(CliContext context, string path)
    {
        var full = Path.GetFullPath(Path.Combine(context.Env.WorkingDirectory, path));
        return System.IO.Directory.Exists(full) ? full : throw new CliException(ExitCodes.NotFound, $"--dir: {path} is not a directory");
    }

    private static string Existing(CliContext context, string path, string option)
    {
        var full = Path.GetFullPath(Path.Combine(context.Env.WorkingDirectory, path));
        return File.Exists(full) ? full : throw new CliException(ExitCodes.NotFound, $"{option}: {path} does not exist");
    }
}
