using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage audit [--org] [--app] [--since] [--json]</c> and <c>nuage audit verify</c>.</summary>
internal static class AuditCommands
{
    public static Command Create(CliContext context)
    {
        var org = new Option<string?>("--org") { Description = "Only this organisation's entries" };
        var app = new Option<string?>("--app", "-a") { Description = "Only entries about this app" };
        var since = new Option<string?>("--since") { Description = "Only entries since e.g. 2h, 7d or an ISO 8601 time" };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries (newest first; default 100)" };
        var json = CommandActions.JsonOption();
        var audit = new Command("audit", "Who changed what, when, from where (admins; the operator sees all)") { org, app, since, limit, json };
        audit.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var entries = await client.ListAuditAsync(parse.GetValue(org), parse.GetValue(app), parse.GetValue(since), parse.GetValue(limit), ct);
            context.Output.Listing(
                entries,
                parse.GetValue(json),
                CliJson.Default.ListAuditEntryDto,
                ["#", "AT", "WHO", "ORG", "VIA", "WHAT", "TARGET", "OUTCOME"],
                e => [e.Seq.ToString(CultureInfo.InvariantCulture), e.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), e.Actor, e.Org ?? "-", e.EntryPoint, e.Action, e.Target ?? "-", e.Outcome + (e.Detail is null ? string.Empty : $" ({e.Detail})")],
                "No audit entries.");
            return ExitCodes.Ok;
        });
        audit.Subcommands.Add(Verify(context));
        return audit;
    }

    private static Command Verify(CliContext context)
    {
        var json = CommandActions.JsonOption();
        var command = new Command("verify", "Check the audit trail's hash chain: exits 1 when an entry was changed or removed") { json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var result = await client.VerifyAuditAsync(ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(result, CliJson.Default.AuditVerificationDto);
            }
            else if (result.Ok)
            {
                context.Output.Success($"The audit trail is intact: {result.Entries} entries, each chained to the previous one.");
            }
            else
            {
                await context.Env.Error.WriteLineAsync($"error: the audit trail is broken at entry {result.BrokenAt}: {result.Reason}.");
            }

            return result.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
