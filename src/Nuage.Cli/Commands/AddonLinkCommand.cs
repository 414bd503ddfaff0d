using System.CommandLine;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary>
/// <c>nuage addon link NAME --app A [--restart|--no-restart]</c>: links, then offers to restart the app through the
/// health-gated path so its running instances get the variables (asked on a terminal; --restart does it, --no-restart skips).
/// </summary>
internal static class AddonLinkCommand
{
    public static Command Create(CliContext context)
    {
        var name = AddonCommands.NameArgument();
        var app = AddonCommands.AppOption();
        var restart = new Option<bool>("--restart") { Description = "Restart the app now (health-gated, no downtime) so its running instances get the variables" };
        var noRestart = new Option<bool>("--no-restart") { Description = "Do not restart nor ask: the variables reach the app on its next deploy or restart" };
        var json = CommandActions.JsonOption();
        var command = new Command("link", "Link an add-on to an app; offers to restart the app so its running instances get the variables") { name, app, restart, noRestart, json };
        command.Run(context, async (parse, ct) =>
        {
            if (parse.GetValue(restart) && parse.GetValue(noRestart))
            {
                throw CliException.Invalid("--restart, --no-restart: give one of them (restart the app now, or leave it for its next deploy)");
            }

            using var client = context.Client();
            var (addon, appName) = (parse.GetValue(name)!, parse.GetValue(app)!);
            var restarting = parse.GetValue(restart);
            var linked = await client.LinkAddonAsync(addon, appName, restarting, ct);
            if (linked.Link is { Pending: true } && !restarting && !parse.GetValue(noRestart) && !parse.GetValue(json)
                && context.Env.IsInteractive && await AskAsync(context, $"App {appName} runs without {addon}'s variables. Restart it now (health-gated, no downtime)? [y/N] "))
            {
                restarting = true;
                linked = await client.LinkAddonAsync(addon, appName, true, ct); // the link exists: this call only restarts
            }

            var restartFailed = restarting && linked.Link is { Running: true, Restarted: false };
            if (parse.GetValue(json))
            {
                context.Output.Json(linked, CliJson.Default.AddonDto);
            }
            else if (restartFailed)
            {
                context.Output.Failure(linked.Link!.Message);
            }
            else
            {
                context.Output.Success($"Linked {linked.Name} to {appName}. {linked.Link?.Message}".TrimEnd());
            }

            return restartFailed ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<bool> AskAsync(CliContext context, string question)
    {
        await context.Env.Out.WriteAsync(question);
        var answer = (await context.Env.In.ReadLineAsync())?.Trim().ToLowerInvariant();
        return answer is "y" or "yes";
    }
}
