using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage org budget set|show|rm ORG</c>: the organisation's monthly spending ceiling (docs/usage.md).</summary>
internal static class OrgBudgetCommands
{
    public static Command Create(CliContext context)
    {
        var budget = new Command("budget", "Monthly spending ceiling: warnings at 80 % and 100 %, optional hard stop");
        budget.Subcommands.Add(Set(context));
        budget.Subcommands.Add(Show(context));
        budget.Subcommands.Add(Remove(context));
        return budget;
    }

    private static Command Set(CliContext context)
    {
        var org = new Argument<string>("org") { Description = "Organisation name" };
        var monthly = new Option<decimal?>("--monthly") { Description = "Ceiling per calendar month (UTC), in the price list's currency", Required = true };
        var hardStop = new Option<bool>("--hard-stop") { Description = "At 100 %, STOP every app of the organisation until the month ends or the ceiling is raised" };
        var json = CommandActions.JsonOption();
        var command = new Command("set", "Set the ceiling (manager or admin)") { org, monthly, hardStop, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var set = await client.SetBudgetAsync(parse.GetValue(org)!, parse.GetValue(monthly) ?? 0m, parse.GetValue(hardStop), ct);
            Render(context, set, parse.GetValue(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var org = new Argument<string>("org") { Description = "Organisation name" };
        var json = CommandActions.JsonOption();
        var command = new Command("show", "The ceiling and this month's spend (accountant and above)") { org, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            Render(context, await client.GetBudgetAsync(parse.GetValue(org)!, ct), parse.GetValue(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var org = new Argument<string>("org") { Description = "Organisation name" };
        var command = new Command("rm", "Remove the ceiling (manager or admin)") { org };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            await client.RemoveBudgetAsync(parse.GetValue(org)!, ct);
            context.Output.Success($"Removed the spending ceiling of {parse.GetValue(org)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(CliContext context, BudgetDto budget, bool json)
    {
        if (json)
        {
            context.Output.Json(budget, CliJson.Default.BudgetDto);
            return;
        }

        context.Output.Line(string.Create(
            CultureInfo.InvariantCulture,
            $"{budget.Org}: {budget.Spent:0.00} of {budget.Monthly:0.00} {budget.Currency} this month ({budget.Percent:0.##} %){(budget.HardStop ? ", hard stop on" : string.Empty)}"));
        if (budget.WarnedLevel > 0)
        {
            context.Output.Warning($"the {budget.WarnedLevel} % warning was raised this month.");
        }
    }
}
