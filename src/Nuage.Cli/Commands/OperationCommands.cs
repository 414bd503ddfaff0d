using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Client;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;
using Nuage.Core.Deployments;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage scale</c>, <c>restart</c>, <c>stop</c>, <c>start</c>, <c>ps</c>, <c>rollback</c>.</summary>
internal static class OperationCommands
{
    public static IEnumerable<Command> Create(CliContext context) =>
    [
        Scale(context), Simple(context, "restart", "Replace the app's instances with fresh ones (health-gated, no downtime)"),
        Simple(context, "stop", "Stop the app's instances; the router answers 503 'stopped'"),
        Simple(context, "start", "Start a stopped app again"), Ps(context), Rollback(context),
    ];

    private static Command Scale(CliContext context)
    {
        var app = CommandActions.AppOption();
        var instances = new Option<int?>("--instances") { Description = "Number of instances (1-32)" };
        var flavor = new Option<string?>("--flavor") { Description = "Instance size: pico, nano, XS, S, M, L, XL" };
        var policy = new AutoscaleOptionSet();
        var json = CommandActions.JsonOption();
        var noFollow = NoFollow();
        var command = new Command("scale", "Change the number or size of instances (applied through a health-gated switch), or set the autoscaling policy")
        {
            app, instances, flavor, policy.MinInstances, policy.MaxInstances, policy.MinFlavor, policy.MaxFlavor,
            policy.TargetCpu, policy.TargetRps, policy.TargetP99, policy.Autoscale, json, noFollow,
        };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var name = context.App(parse.GetValue(app));
            if (policy.Given(parse) || (parse.GetValue(instances) is null && parse.GetValue(flavor) is null))
            {
                if (parse.GetValue(instances) is not null || parse.GetValue(flavor) is not null)
                {
                    throw CliException.Invalid("--instances/--flavor set a manual size; the autoscaling options (--min-instances … --autoscale) set a policy: give one or the other");
                }

                var shown = await policy.ApplyAsync(client, name, parse, ct);
                return Render(context, shown, parse.GetValue(json));
            }

            var result = await client.ScaleAsync(name, new ScaleRequest { Instances = parse.GetValue(instances), Flavor = parse.GetValue(flavor) }, ct);
            return await ReportAsync(context, client, name, "scale", result, parse.GetValue(noFollow), ct);
        });
        return command;
    }

    private static int Render(CliContext context, AutoscaleDto policy, bool json)
    {
        foreach (var warning in policy.Warnings)
        {
            context.Output.Warning(warning);
        }

        if (json)
        {
            context.Output.Json(policy, CliJson.Default.AutoscaleDto);
            return ExitCodes.Ok;
        }

        context.Output.Line(AutoscaleOptionSet.Describe(policy));
        foreach (var decision in policy.Decisions.Take(5))
        {
            context.Output.Line($"  {decision.At:HH:mm:ss} {decision.Action} {decision.From}→{decision.To}: {decision.Reason}");
        }

        return ExitCodes.Ok;
    }

    private static Command Simple(CliContext context, string verb, string description)
    {
        var app = CommandActions.AppOption();
        var noFollow = NoFollow();
        var command = new Command(verb, description) { app, noFollow };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var name = context.App(parse.GetValue(app));
            var result = await client.OperateAsync(name, verb, ct);
            return await ReportAsync(context, client, name, verb, result, parse.GetValue(noFollow), ct);
        });
        return command;
    }

    private static Command Ps(CliContext context)
    {
        var app = CommandActions.AppOption();
        var json = CommandActions.JsonOption();
        var command = new Command("ps", "List the app's instances: state, pid, uptime, restarts, memory") { app, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var list = await client.ListInstancesAsync(context.App(parse.GetValue(app)), ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(list, CliJson.Default.ListInstanceDto);
                return ExitCodes.Ok;
            }

            var now = DateTimeOffset.UtcNow;
            context.Output.Table(
                ["INSTANCE", "KIND", "STATE", "PID", "PORT", "UPTIME", "RESTARTS", "MEMORY"],
                list.Select(i => (IReadOnlyList<string>)[
                    i.Id, i.Kind, i.Status, i.Pid.ToString(CultureInfo.InvariantCulture), i.Port?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    Uptime(now - i.StartedAt), i.Restarts.ToString(CultureInfo.InvariantCulture),
                    i.MemoryBytes is { } m ? $"{m / (1024.0 * 1024):0.0} MiB" + (i.MemoryLimitBytes is { } l ? $" / {l / (1024 * 1024)} MiB" : string.Empty) : "-"]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Rollback(CliContext context)
    {
        var app = CommandActions.AppOption();
        var deployment = new Argument<string?>("deployment") { Description = "Deployment whose release to serve again (default: the previous release)", Arity = ArgumentArity.ZeroOrOne };
        var noFollow = NoFollow();
        var command = new Command("rollback", "Serve an earlier, retained release again (no rebuild; health-gated)") { app, deployment, noFollow };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var name = context.App(parse.GetValue(app));
            var started = await client.RollbackAsync(name, parse.GetValue(deployment), ct);
            return await FollowAsync(context, client, name, "rollback", started, parse.GetValue(noFollow), ct);
        });
        return command;
    }

    private static async Task<int> ReportAsync(CliContext context, NuageClient client, string app, string verb, OperationDto result, bool noFollow, CancellationToken ct)
    {
        context.Output.Line(result.Summary);
        return result.Deployment is null ? ExitCodes.Ok : await FollowAsync(context, client, app, verb, result.Deployment, noFollow, ct);
    }

    /// <summary>
    /// Waits for the deployment an operation started and names the verb the user typed (scale and start run as a
    /// restart deployment); a rollback also says which commit serves now. Exit 1 with the failing stage when it failed.
    /// </summary>
    internal static async Task<int> FollowAsync(CliContext context, NuageClient client, string app, string verb, DeploymentDto started, bool noFollow, CancellationToken ct)
    {
        if (noFollow)
        {
            context.Output.Line(started.Id);
            return ExitCodes.Ok;
        }

        var done = await client.WaitForDeploymentAsync(app, started.Id, ct);
        var seconds = (done.DurationMs ?? 0) / 1000.0;
        if (done.State == DeploymentStates.Succeeded)
        {
            var serving = verb == "rollback" ? $" Now serving {Commit(done)}." : string.Empty;
            context.Output.Success($"Done: {verb} ({done.Id}) in {seconds.ToString("0.0", CultureInfo.InvariantCulture)}s.{serving}");
            return ExitCodes.Ok;
        }

        context.Output.Error($"{verb} ({done.Id}) {done.State} at {done.FailedStage}: {done.FailureReason}");
        return ExitCodes.Failed;
    }

    private static string Commit(DeploymentDto d) => d.CommitId is { } id
        ? $"commit {id[..Math.Min(12, id.Length)]}" + (d.CommitMessage is { Length: > 0 } message ? $" \"{message}\"" : string.Empty)
        : "a release without a commit id";

    private static Option<bool> NoFollow() => new("--no-follow") { Description = "Return once the change is accepted, without waiting" };

    private static string Uptime(TimeSpan span) => span.TotalDays >= 1
        ? $"{(int)span.TotalDays}d{span.Hours}h"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes}m" : $"{(int)span.TotalMinutes}m{span.Seconds}s";
}
