using System.CommandLine;
using Nuage.Cli.Client;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage addon logs NAME</c>: the add-on's database server's own lines (the same as <c>nuage logs --addon NAME</c>).</summary>
internal static class AddonLogsCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Add-on name" };
        var tail = new Option<int?>("--tail", "-n") { Description = "Most recent lines to print (default 100; with --follow, earlier lines first shown)" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming new lines (reconnects without gaps)" };
        var since = new Option<string?>("--since") { Description = "Start at a duration back (10m, 2h, 1d) or an ISO 8601 timestamp" };
        var search = new Option<string?>("--search") { Description = "Only lines containing TEXT (case-insensitive)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line" };
        var command = new Command("logs", "Show an add-on's server log (PostgreSQL, MariaDB or Redis output)") { name, tail, follow, since, search, json };
        command.Run(context, (parse, ct) =>
        {
            var query = new LogsQuery(Since: parse.GetValue(since), Search: parse.GetValue(search), Limit: parse.GetValue(tail) ?? (parse.GetValue(since) is null ? 100 : null));
            var format = new LogLineFormat(context.Env.IsTerminal, parse.GetValue(json));
            return LogsCommand.PrintAddonLogsAsync(context, parse.GetValue(name)!, query, parse.GetValue(follow), format, ct);
        });
        return command;
    }
}
