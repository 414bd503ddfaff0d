using System.CommandLine;
using Nuage.Cli.Client;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Cli.Manifest;
using Nuage.Core.Orgs;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage export</c> and <c>nuage apply</c>: an organisation's apps and add-ons as a file kept in git.</summary>
internal static class ApplyCommands
{
    public static IEnumerable<Command> Create(CliContext context) => [Export(context), Apply(context)];

    private static Command Export(CliContext context)
    {
        var app = new Option<string?>("--app", "-a") { Description = "Export one app and the add-ons it links (default: every app and add-on of the organisation)" };
        var org = new Option<string?>("--org") { Description = "Organisation to export (default: the one 'nuage org switch' chose); written into the file" };
        var secrets = new Option<bool>("--include-secrets") { Description = "Write secret values in clear instead of { secret = \"ENV_NAME\" } references" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output" };
        var command = new Command("export", "Write the apps and add-ons as a declarative nuage.toml ('nuage apply' reads it back)") { app, org, secrets, output };
        command.Run(context, async (parse, ct) =>
        {
            using var client = await ClientForAsync(context, parse.GetValue(org), ct);
            var live = await LiveInstall.ReadAsync(client, ct);
            var only = parse.GetValue(app);
            if (only is not null && live.App(only) is null)
            {
                throw new CliException(ExitCodes.NotFound, $"app \"{only}\" does not exist here; 'nuage apps' lists them");
            }

            var text = ManifestWriter.Write(live.ToManifest(only, parse.GetValue(org), parse.GetValue(secrets)));
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(Path.Combine(context.Env.WorkingDirectory, file), text, ct);
                context.Output.Success($"Wrote {file}.");
            }
            else
            {
                await context.Env.Out.WriteAsync(text);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Apply(CliContext context)
    {
        var file = new Option<string>("--file", "-f") { Description = "The nuage.toml to apply", Required = true };
        var yes = new Option<bool>("--yes", "-y") { Description = "Apply without asking (CI); without it a terminal is asked to confirm" };
        var prune = new Option<bool>("--prune") { Description = "Also delete the organisation's apps and add-ons the file does not declare" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and stop" };
        var json = CommandActions.JsonOption();
        var command = new Command("apply", "Make the organisation match a nuage.toml: print the plan (create/change/delete), confirm, apply step by step")
        {
            file, yes, prune, dryRun, json,
        };
        command.Run(context, async (parse, ct) =>
        {
            var path = Path.Combine(context.Env.WorkingDirectory, parse.GetValue(file)!);
            if (!File.Exists(path))
            {
                throw new CliException(ExitCodes.NotFound, $"--file: {parse.GetValue(file)} does not exist");
            }

            var (config, errors) = ManifestReader.Read(await File.ReadAllTextAsync(path, ct), Path.GetFileName(path));
            if (config is not null)
            {
                errors = [.. ManifestVariables.Check(config)];
            }

            var run = new ApplyRun(context, parse.GetValue(json), Path.GetFileName(path));
            if (config is null || errors.Count > 0)
            {
                return run.Refuse(errors);
            }

            using var client = await ClientForAsync(context, config.Org, ct);
            var plan = ApplyPlanner.Plan(config, await LiveInstall.ReadAsync(client, ct), context.Env.Variables, parse.GetValue(prune));
            return await run.ExecuteAsync(client, plan, parse.GetValue(yes), parse.GetValue(dryRun), ct);
        });
        return command;
    }

    /// <summary>
    /// A client narrowed to one organisation: the file's or --org, else the configured one, else the token's, else the
    /// default one. Always narrowed, so an operator's export, plan and --prune never reach across organisations.
    /// </summary>
    internal static async Task<NuageClient> ClientForAsync(CliContext context, string? org, CancellationToken cancellationToken)
    {
        var config = ConfigFile.Resolve(context.Env);
        if ((org ?? config.Org) is { } chosen)
        {
            return new NuageClient(config.Url, config.Token, chosen);
        }

        using var probe = new NuageClient(config.Url, config.Token);
        var whoami = await probe.WhoAmIAsync(cancellationToken);
        return new NuageClient(config.Url, config.Token, whoami.Org ?? OrgNames.Default);
    }
}
