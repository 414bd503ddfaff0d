using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage org members add|list|set-role|remove</c>, in --org or the current organisation.</summary>
internal static class OrgMemberCommands
{
    private const string Roles = "viewer, accountant, developer, manager or admin";

    public static Command Create(CliContext context)
    {
        var members = new Command("members", "Members of an organisation and their roles");
        members.Subcommands.Add(Add(context));
        members.Subcommands.Add(List(context));
        members.Subcommands.Add(SetRole(context));
        members.Subcommands.Add(Remove(context));
        return members;
    }

    private static Option<string?> OrgOption() => new("--org") { Description = "Organisation (default: the current one, else 'default')" };

    private static string OrgOf(CliContext context, string? option) => option ?? ConfigFile.Resolve(context.Env).Org ?? "default";

    private static Command Add(CliContext context)
    {
        var email = new Argument<string>("email") { Description = "The member's email" };
        var role = new Option<string>("--role") { Description = Roles, Required = true };
        var org = OrgOption();
        var json = CommandActions.JsonOption();
        var command = new Command("add", "Add a member with a role") { email, role, org, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var member = await client.AddMemberAsync(OrgOf(context, parse.GetValue(org)), parse.GetValue(email)!, parse.GetValue(role)!, ct);
            Print(context, parse.GetValue(json), member, $"Added {member.Email} as {member.Role}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var org = OrgOption();
        var json = CommandActions.JsonOption();
        var command = new Command("list", "List members and their roles") { org, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var members = await client.ListMembersAsync(OrgOf(context, parse.GetValue(org)), ct);
            context.Output.Listing(
                members,
                parse.GetValue(json),
                CliJson.Default.ListMemberDto,
                ["EMAIL", "ROLE", "ADDED"],
                m => [m.Email, m.Role, m.AddedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)],
                "No members.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetRole(CliContext context)
    {
        var email = new Argument<string>("email") { Description = "The member's email" };
        var role = new Option<string>("--role") { Description = Roles, Required = true };
        var org = OrgOption();
        var json = CommandActions.JsonOption();
        var command = new Command("set-role", "Change a member's role (the last admin cannot be demoted)") { email, role, org, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var member = await client.SetMemberRoleAsync(OrgOf(context, parse.GetValue(org)), parse.GetValue(email)!, parse.GetValue(role)!, ct);
            Print(context, parse.GetValue(json), member, $"{member.Email} is now {member.Role}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var email = new Argument<string>("email") { Description = "The member's email" };
        var org = OrgOption();
        var command = new Command("remove", "Remove a member and revoke their tokens in the organisation") { email, org };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            await client.RemoveMemberAsync(OrgOf(context, parse.GetValue(org)), parse.GetValue(email)!, ct);
            context.Output.Success($"Removed {parse.GetValue(email)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(CliContext context, bool json, Core.Api.MemberDto member, string text)
    {
        if (json)
        {
            context.Output.Json(member, CliJson.Default.MemberDto);
        }
        else
        {
            context.Output.Success(text);
        }
    }
}
