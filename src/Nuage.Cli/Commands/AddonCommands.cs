using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Addons;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage addon create|list|status|delete|link|unlink|credentials|restart|plans</c>: managed databases apps link to.</summary>
internal static class AddonCommands
{
    public static Command Create(CliContext context)
    {
        var addon = new Command("addon", "Managed databases (PostgreSQL, MySQL/MariaDB, Redis) that apps link to");
        addon.Subcommands.Add(CreateCommand(context));
        addon.Subcommands.Add(List(context));
        addon.Subcommands.Add(Status(context));
        addon.Subcommands.Add(Delete(context));
        addon.Subcommands.Add(AddonLinkCommand.Create(context));
        addon.Subcommands.Add(Unlink(context));
        addon.Subcommands.Add(Credentials(context));
        addon.Subcommands.Add(Restart(context));
        addon.Subcommands.Add(Plans(context));
        foreach (var command in AddonBackupCommands.Create(context))
        {
            addon.Subcommands.Add(command);
        }

        addon.Subcommands.Add(AddonImportCommand.Create(context));
        addon.Subcommands.Add(AddonLogsCommand.Create(context));
        return addon;
    }

    internal static Argument<string> NameArgument() => new("name") { Description = "Add-on name (2-48 of a-z, 0-9 and '-')" };

    internal static Option<string> AppOption() => new("--app", "-a") { Description = "App name", Required = true };

    private static Command CreateCommand(CliContext context)
    {
        var name = NameArgument();
        var type = new Option<string>("--type", "-t") { Description = $"Database type: {AddonTypes.Accepted}", Required = true };
        var plan = new Option<string?>("--plan") { Description = $"Size: {AddonPlans.Accepted} (default {AddonPlans.Default}; 'nuage addon plans')" };
        var version = new Option<string?>("--version") { Description = "Version (default: the type's newest this server offers)" };
        var schedule = AddonBackupCommands.ScheduleOption();
        var retention = AddonBackupCommands.RetentionOption();
        var external = new Option<string?>("--external")
        {
            Description = $"Register an existing server instead of starting one: its URL, or no value to read {ExternalVariable}, or '-' to read it from stdin (keeps the password off the command line)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = CommandActions.JsonOption();
        var command = new Command("create", "Create an add-on: a dedicated database server, supervised and sandboxed") { name, type, plan, version, schedule, retention, external, json };
        command.Run(context, async (parse, ct) =>
        {
            var url = parse.GetResult(external) is null ? null : await ExternalUrlAsync(context, parse.GetValue(external), ct);
            using var client = context.Client();
            var created = await client.CreateAddonAsync(new CreateAddonRequest
            {
                Name = parse.GetValue(name),
                Type = parse.GetValue(type),
                Plan = parse.GetValue(plan),
                Version = parse.GetValue(version),
                BackupSchedule = parse.GetValue(schedule),
                BackupRetention = parse.GetValue(retention),
                External = url,
            }, ct);
            Render(context, created, parse.GetValue(json), $"Created {created.Type} add-on {created.Name} ({created.Status}). Link it with 'nuage addon link {created.Name} --app APP'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The environment variable <c>addon create --external</c> reads when given no value.</summary>
    public const string ExternalVariable = "NUAGE_EXTERNAL_URL";

    /// <summary>The external URL: the option's value, '-' for the first line of stdin, none for <see cref="ExternalVariable"/>.</summary>
    private static async Task<string> ExternalUrlAsync(CliContext context, string? value, CancellationToken cancellationToken)
    {
        var url = value == "-" ? await context.Env.In.ReadLineAsync(cancellationToken) : value ?? context.Env.Variables.GetValueOrDefault(ExternalVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            throw CliException.Invalid($"--external: give the server's URL ({AddonSourceUrl.AcceptedSchemes}) as its value, on stdin with '--external -', or in {ExternalVariable}");
        }

        return url.Trim();
    }

    private static Command List(CliContext context)
    {
        var json = CommandActions.JsonOption();
        var command = new Command("list", "List add-ons") { json };
        command.Aliases.Add("ls");
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var addons = await client.ListAddonsAsync(ct);
            context.Output.Listing(
                addons,
                parse.GetValue(json),
                CliJson.Default.ListAddonDto,
                ["NAME", "TYPE", "VERSION", "PLAN", "STATUS", "LINKED APPS"],
                a => [a.Name, a.Type, a.Version, a.Plan, a.Status, a.LinkedApps.Count == 0 ? "-" : string.Join(",", a.LinkedApps)],
                "No add-ons; create one with 'nuage addon create NAME --type postgresql'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status(CliContext context)
    {
        var name = NameArgument();
        var json = CommandActions.JsonOption();
        var command = new Command("status", "Show an add-on: type, plan, state, address and linked apps") { name, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            Render(context, await client.GetAddonAsync(parse.GetValue(name)!, ct), parse.GetValue(json), null);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var name = NameArgument();
        var yes = new Option<bool>("--yes", "-y") { Description = "Confirm: the add-on's data is destroyed and linked apps are unlinked" };
        var purge = new Option<bool>("--purge") { Description = "Also delete its backups now (by default the newest is kept 7 days)" };
        var json = CommandActions.JsonOption();
        var command = new Command("delete", "Delete an add-on and its data (unlinks its apps; its newest backup is kept 7 days)") { name, yes, purge, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var addon = parse.GetValue(name)!;
            if (!parse.GetValue(yes))
            {
                var current = await client.GetAddonAsync(addon, ct);
                var links = current.LinkedApps.Count == 0 ? "no apps" : string.Join(", ", current.LinkedApps);
                throw CliException.Invalid($"deleting add-on {addon} destroys its data and unlinks {links}; add --yes to confirm");
            }

            var deleted = parse.GetValue(purge) ? await client.PurgeAddonAsync(addon, ct) : await client.DeleteAddonAsync(addon, force: true, ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(deleted, CliJson.Default.DeletedAddonDto);
            }
            else
            {
                context.Output.Success(deleted.UnlinkedApps.Count == 0
                    ? $"Deleted {deleted.Name}."
                    : $"Deleted {deleted.Name}; unlinked {string.Join(", ", deleted.UnlinkedApps)} (restart them to drop its variables).");
                if (deleted.KeptBackup is { } kept)
                {
                    context.Output.Line($"Its newest backup stays on the server until {deleted.KeptUntil:u}: {kept} (sha256 {deleted.KeptBackupSha256}).");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Unlink(CliContext context)
    {
        var name = NameArgument();
        var app = AppOption();
        var json = CommandActions.JsonOption();
        var command = new Command("unlink", "Unlink an add-on from an app") { name, app, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var unlinked = await client.UnlinkAddonAsync(parse.GetValue(name)!, parse.GetValue(app)!, ct);
            Render(context, unlinked, parse.GetValue(json), $"Unlinked {unlinked.Name} from {parse.GetValue(app)}; its instances can no longer reach it.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Credentials(CliContext context)
    {
        var name = NameArgument();
        var json = CommandActions.JsonOption();
        var rotate = new Option<bool>("--rotate") { Description = "Rotate first: add a new credential, restart linked apps with it (health-gated), then revoke the old one" };
        var command = new Command("credentials", "Show the variables linked apps get (password included)") { name, rotate, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var credentials = parse.GetValue(rotate)
                ? await client.RotateAddonCredentialsAsync(parse.GetValue(name)!, ct)
                : await client.AddonCredentialsAsync(parse.GetValue(name)!, ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(credentials, CliJson.Default.AddonCredentialsDto);
            }
            else
            {
                foreach (var (variable, value) in credentials.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    context.Output.Line($"{variable}={value}");
                }

                if (credentials.Warning is { } warning)
                {
                    context.Output.Warning(warning);
                }
                else if (credentials.RestartedApps is { Count: > 0 } restarted)
                {
                    context.Output.Success($"Restarted {string.Join(", ", restarted)} with the new credentials; the old one is revoked.");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Restart(CliContext context)
    {
        var name = NameArgument();
        var json = CommandActions.JsonOption();
        var command = new Command("restart", "Restart an add-on's server (same data and address); waits until it accepts connections") { name, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var restarted = await client.RestartAddonAsync(parse.GetValue(name)!, ct);
            Render(context, restarted, parse.GetValue(json), $"Restarted {restarted.Name} ({restarted.Status}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Plans(CliContext context)
    {
        var json = CommandActions.JsonOption();
        var command = new Command("plans", "List add-on types (versions, Debian package) and plans (sizes)") { json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var catalog = await client.AddonPlansAsync(ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(catalog, CliJson.Default.AddonCatalogDto);
                return ExitCodes.Ok;
            }

            context.Output.Table(["TYPE", "VERSIONS", "PACKAGE", "INSTALLED"],
                catalog.Types.Select(t => (IReadOnlyList<string>)[t.Name, string.Join(",", t.Versions), t.Package, t.Installed ? "yes" : "no"]));
            context.Output.Line();
            context.Output.Table(["PLAN", "MEMORY", "CPU", "DISK", "CONNECTIONS"],
                catalog.Plans.Select(p => (IReadOnlyList<string>)[p.Name, $"{Number(p.MemoryMiB)} MiB", $"{p.MilliCpu / 1000.0:0.##} core", $"{Number(p.DiskMiB)} MiB", Number(p.MaxConnections)]));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static void Render(CliContext context, AddonDto addon, bool json, string? success)
    {
        if (json)
        {
            context.Output.Json(addon, CliJson.Default.AddonDto);
            return;
        }

        if (success is not null)
        {
            context.Output.Success(success);
            return;
        }

        context.Output.Line($"name:     {addon.Name}");
        context.Output.Line($"type:     {addon.Type} {addon.Version}");
        context.Output.Line($"plan:     {addon.Plan}");
        context.Output.Line($"status:   {addon.Status}{(addon.Restarts > 0 ? $" ({addon.Restarts} restart(s))" : string.Empty)}"
            + (addon.Answers is { } answers ? (answers ? " (answers)" : " (does not answer)") : string.Empty));
        context.Output.Line($"address:  {addon.Host}:{Number(addon.Port)}");
        context.Output.Line($"memory:   {(addon.MemoryBytes is { } m ? $"{m / 1048576.0:0.0} MiB" : "-")}");
        context.Output.Line($"disk:     {(addon.DiskBytes is { } d ? $"{d / 1048576.0:0.0} MiB" : "-")} of {(addon.DiskQuotaBytes is { } q ? $"{q / 1048576.0:0.0} MiB" : "-")} (soft quota)");
        context.Output.Line($"clients:  {(addon.Connections is { } c ? Number(c) : "-")}");
        context.Output.Line($"linked:   {(addon.LinkedApps.Count == 0 ? "-" : string.Join(", ", addon.LinkedApps))}");
        context.Output.Line($"backups:  {addon.BackupSchedule}, keeping {Number(addon.BackupRetention)}"
            + (addon.NextBackupAt is { } next ? $", next {next.ToString("u", CultureInfo.InvariantCulture)}" : string.Empty));
        if (addon.LastBackupError is { } backupError)
        {
            context.Output.Line($"backup failing ({Number(addon.BackupFailures)} in a row, retried with backoff): {backupError}");
        }
        if (addon.LastError is { } error)
        {
            context.Output.Line("last error lines:");
            foreach (var line in error.Split('\n'))
            {
                context.Output.Line("  " + line);
            }
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
