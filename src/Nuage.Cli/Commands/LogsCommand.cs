using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Nuage.Cli.Client;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage logs</c>: search an app's log, or follow it live.</summary>
internal static class LogsCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommandActions.AppOption();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming new lines (reconnects without gaps)" };
        var since = new Option<string?>("--since") { Description = "Start at a duration back (10m, 2h, 1d) or an ISO 8601 timestamp" };
        var until = new Option<string?>("--until") { Description = "Stop before a duration back or a timestamp" };
        var search = new Option<string?>("--search") { Description = "Only lines containing TEXT (case-insensitive)" };
        var source = new Option<string?>("--source") { Description = "Only one source: app, build, access or platform" };
        var instance = new Option<string?>("--instance") { Description = "Only one instance: N (web instance N of the current release) or an instance id" };
        var limit = new Option<int?>("--limit", "-n") { Description = "Most lines to print (default 1000; with --follow, 100 earlier lines)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line" };
        var addon = new Option<string?>("--addon") { Description = "Show an add-on's log (its database server's own lines) instead of an app's" };
        var command = new Command("logs", "Show an app's log: app output, build output, access log and platform events")
        {
            app, addon, follow, since, until, search, source, instance, limit, json,
        };
        command.Run(context, async (parse, ct) =>
        {
            var query = new LogsQuery(parse.GetValue(since), parse.GetValue(until), parse.GetValue(search), parse.GetValue(source), parse.GetValue(instance), parse.GetValue(limit));
            var format = new LogLineFormat(context.Env.IsTerminal, parse.GetValue(json));
            if (parse.GetValue(addon) is { } addonName)
            {
                if (parse.GetValue(app) is not null || query.Source is not null || query.Instance is not null)
                {
                    throw CliException.Invalid("--addon: shows one add-on's server log; it does not combine with --app, --source or --instance");
                }

                return await PrintAddonLogsAsync(context, addonName, query, parse.GetValue(follow), format, ct);
            }

            var name = context.App(parse.GetValue(app));
            return await PrintAsync(context, parse.GetValue(follow), format,
                client => client.GetLogsAsync(name, query, ct),
                (client, reconnecting) => client.FollowLogsAsync(name, query, reconnecting, ct), ct);
        });
        return command;
    }

    /// <summary>Prints an add-on's log (<c>nuage logs --addon</c> and <c>nuage addon logs</c>): the newest lines, then new ones with <paramref name="follow"/>.</summary>
    public static Task<int> PrintAddonLogsAsync(CliContext context, string addon, LogsQuery query, bool follow, LogLineFormat format, CancellationToken ct) =>
        PrintAsync(context, follow, format,
            client => client.GetAddonLogsAsync(addon, query, ct),
            (client, reconnecting) => client.FollowAddonLogsAsync(addon, query, reconnecting, ct), ct);

    /// <summary>Prints the lines <paramref name="get"/> returns, or with <paramref name="follow"/> the stream <paramref name="stream"/> opens, flushing each line.</summary>
    private static async Task<int> PrintAsync(
        CliContext context,
        bool follow,
        LogLineFormat format,
        Func<NuageClient, Task<List<LogLineDto>>> get,
        Func<NuageClient, Action<string>, IAsyncEnumerable<LogLineDto>> stream,
        CancellationToken ct)
    {
        using var client = context.Client();
        if (!follow)
        {
            foreach (var line in await get(client))
            {
                context.Output.Line(format.Format(line));
            }

            return ExitCodes.Ok;
        }

        await foreach (var line in stream(client, reason => context.Output.Warning($"{reason}; reconnecting")).WithCancellation(ct))
        {
            context.Output.Line(format.Format(line));
            await context.Env.Out.FlushAsync(ct);
        }

        return ExitCodes.Ok;
    }
}

/// <summary>
/// One log line for people: <c>2026-11-27T16:19:22.05Z app[web-0] stdout: message</c> (colour on a terminal),
/// or one compact JSON object.
/// </summary>
internal sealed class LogLineFormat(bool colour, bool json)
{
    private const string Reset = "\u001b[0m";
    private const string Dim = "\u001b[2m";
    private const string Red = "\u001b[31m";

    public string Format(LogLineDto line)
    {
        if (json)
        {
            return JsonSerializer.Serialize(line, CliJsonLines.Default.LogLineDto);
        }

        var time = line.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ff'Z'", CultureInfo.InvariantCulture);
        var who = Label(line) is { } label ? $"{line.Source}[{label}]" : line.Source;
        var stream = line.Stream is { Length: > 0 } s ? $" {s}:" : string.Empty;
        if (!colour)
        {
            return $"{time} {who}{stream} {line.Message}";
        }

        var message = line.Stream == "stderr" ? Red + line.Message + Reset : line.Message;
        return $"{Dim}{time}{Reset} {SourceColour(line.Source)}{who}{Reset}{stream} {message}";
    }

    /// <summary>The instance without its deployment prefix (<c>web-0</c>), else the deployment id.</summary>
    private static string? Label(LogLineDto line) => line switch
    {
        { Instance: { } i, Deployment: { } d } when i.StartsWith(d + "-", StringComparison.Ordinal) => i[(d.Length + 1)..],
        { Instance: { } i } => i,
        { Deployment: { } d } => d,
        _ => null,
    };

    private static string SourceColour(string source) => source switch
    {
        "app" => "\u001b[36m",
        "build" => "\u001b[33m",
        "access" => "\u001b[34m",
        _ => "\u001b[35m",
    };
}
