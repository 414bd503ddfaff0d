using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Deploy;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage activity</c>: an app's deployments, newest first, with state, commit, duration and failure.</summary>
internal static class ActivityCommand
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1000;
    private const int SubjectWidth = 40;

    public static Command Create(CliContext context)
    {
        var app = CommandActions.AppOption();
        var json = CommandActions.JsonOption();
        var limit = new Option<int>("--limit", "-n") { Description = $"How many deployments to show (default {DefaultLimit})", DefaultValueFactory = _ => DefaultLimit };
        var command = new Command("activity", "List an app's deployments: state, commit, duration, failure") { app, json, limit };
        command.Run(context, async (parse, ct) =>
        {
            var count = parse.GetValue(limit);
            if (count is < 1 or > MaxLimit)
            {
                throw CliException.Invalid($"--limit: {count} is out of range; use a whole number from 1 to {MaxLimit}.");
            }

            var name = context.App(parse.GetValue(app));
            using var client = context.Client();
            var deployments = await client.ListDeploymentsAsync(name, count, ct);
            if (parse.GetValue(json))
            {
                context.Output.Json([.. deployments], CliJson.Default.ListDeploymentDto);
            }
            else if (deployments.Count == 0)
            {
                context.Output.Line($"No deployments of {name} yet: run 'nuage deploy' in its work tree, or git push.");
            }
            else
            {
                context.Output.Table(["ID", "STATE", "KIND", "COMMIT", "STARTED", "DURATION", "FAILURE"], deployments.Select(Row));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static IReadOnlyList<string> Row(DeploymentDto d) =>
    [
        d.Id,
        d.State,
        d.Kind,
        Commit(d),
        (d.StartedAt ?? d.CreatedAt).ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        Durations.Format(d.DurationMs),
        d.FailedStage is null ? "" : $"{d.FailedStage}: {d.FailureReason}",
    ];

    private static string Commit(DeploymentDto d)
    {
        var id = d.CommitId is { Length: > 7 } full ? full[..7] : d.CommitId ?? "";
        var subject = d.CommitMessage is { } m ? m.Split('\n')[0] : "";
        if (subject.Length > SubjectWidth)
        {
            subject = subject[..(SubjectWidth - 1)] + "…";
        }

        return subject.Length == 0 ? id : $"{id} {subject}";
    }
}
