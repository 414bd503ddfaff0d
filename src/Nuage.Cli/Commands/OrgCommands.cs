using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage org create|list|use|delete</c> and <c>nuage org members add|list|set-role|remove</c>.</summary>
internal static class OrgCommands
{
    public static Command Create(CliContext context)
    {
        var org = new Command("org", "Organisations: they own apps and tokens; members have roles in them");
        org.Subcommands.Add(CreateOrg(context));
        org.Subcommands.Add(List(context));
        org.Subcommands.Add(Use(context));
        org.Subcommands.Add(Delete(context));
        org.Subcommands.Add(OrgMemberCommands.Create(context));
        org.Subcommands.Add(OrgBudgetCommands.Create(context));
        return org;
    }

    private static Command CreateOrg(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Organisation name (a-z, 0-9, '-')" };
        var json = CommandActions.JsonOption();
        var command = new Command("create", "Create an organisation (you become its admin)") { name, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var created = await client.CreateOrgAsync(parse.GetValue(name)!, ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(created, CliJson.Default.OrgDto);
            }
            else
            {
                context.Output.Success($"Created organisation {created.Name}. 'nuage org use {created.Name}' makes it the current one.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = CommandActions.JsonOption();
        var command = new Command("list", "List the organisations you belong to (the operator sees all)") { json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var current = ConfigFile.Resolve(context.Env).Org;
            var orgs = await client.ListOrgsAsync(ct);
            context.Output.Listing(
                orgs,
                parse.GetValue(json),
                CliJson.Default.ListOrgDto,
                ["NAME", "YOUR ROLE", "CREATED", "CURRENT"],
                o => [o.Name, o.Role ?? "operator", o.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), o.Name == current ? "*" : string.Empty],
                "No organisations.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Use(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Organisation to act in from now on" };
        var command = new Command("use", "Make an organisation the current one for this CLI") { name };
        command.Run(context, async (parse, ct) =>
        {
            var config = ConfigFile.Resolve(context.Env);
            var wanted = parse.GetValue(name)!;
            using (var client = new Client.NuageClient(config.Url, config.Token))
            {
                var orgs = await client.ListOrgsAsync(ct);
                if (!orgs.Any(o => o.Name == wanted))
                {
                    throw new CliException(ExitCodes.NotFound, $"No organisation named \"{wanted}\" is visible to this token; 'nuage org list' shows yours.");
                }
            }

            ConfigFile.Write(context.Env, config with { Org = wanted });
            context.Output.Success($"Now acting in organisation {wanted}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Organisation to delete" };
        var yes = new Option<bool>("--yes") { Description = "Also delete the apps it owns (they are listed first when you omit it)" };
        var json = CommandActions.JsonOption();
        var command = new Command("delete", "Delete an organisation; refused while it owns apps unless --yes") { name, yes, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var deleted = await client.DeleteOrgAsync(parse.GetValue(name)!, parse.GetValue(yes), ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(deleted, CliJson.Default.OrgDeletionDto);
            }
            else
            {
                var with = new[] { ("apps", deleted.Apps), ("add-ons", deleted.Addons) }.Where(p => p.Item2.Count > 0)
                    .Select(p => $"its {p.Item1}: {string.Join(", ", p.Item2)}").ToList();
                context.Output.Success(with.Count == 0
                    ? $"Deleted organisation {deleted.Name}."
                    : $"Deleted organisation {deleted.Name} with {string.Join("; ", with)}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
