using System.CommandLine;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage protect basic add|rm</c>, <c>nuage protect off</c>, <c>nuage protect show</c>: sign-in required in front of an app.</summary>
internal static class ProtectCommands
{
    public static Command Create(CliContext context)
    {
        var protect = new Command("protect", "Require a sign-in (HTTP basic auth) in front of an app; the router checks it before forwarding");
        var basic = new Command("basic", "Basic-auth users of the app (passwords hashed by the server, never stored as given)");
        basic.Subcommands.Add(Add(context));
        basic.Subcommands.Add(Remove(context));
        protect.Subcommands.Add(basic);

        var offApp = CommandActions.AppOption();
        var off = new Command("off", "Remove the protection (every user)") { offApp };
        off.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            FlowCommands.Render(context, await client.UnprotectAsync(context.App(parse.GetValue(offApp)), ct), json: false);
            return ExitCodes.Ok;
        });
        protect.Subcommands.Add(off);

        var showApp = CommandActions.AppOption();
        var json = CommandActions.JsonOption();
        var show = new Command("show", "Show the app's protection (with the rest of its request flow)") { showApp, json };
        show.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            FlowCommands.Render(context, await client.GetFlowAsync(context.App(parse.GetValue(showApp)), ct), parse.GetValue(json));
            return ExitCodes.Ok;
        });
        protect.Subcommands.Add(show);
        return protect;
    }

    private static Command Add(CliContext context)
    {
        var app = CommandActions.AppOption();
        var user = new Argument<string>("user") { Description = "User name (no ':')" };
        var realm = new Option<string?>("--realm") { Description = "Realm browsers show in the sign-in prompt (default Restricted)" };
        var exclude = new Option<string[]>("--open-path") { Description = "Path prefix served without sign-in, e.g. /public (repeatable; health checks are always open)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("add", "Add a user (or change their password); the password is read from stdin") { app, user, realm, exclude };
        command.Run(context, async (parse, ct) =>
        {
            var password = (await context.Env.In.ReadLineAsync(ct))?.TrimEnd('\r') ?? "";
            var open = parse.GetValue(exclude);
            using var client = context.Client();
            var updated = await client.SetProtectUserAsync(
                context.App(parse.GetValue(app)),
                parse.GetValue(user)!,
                new ProtectUserRequest { Password = password, Realm = parse.GetValue(realm), ExcludedPaths = open is { Length: > 0 } ? [.. open] : null },
                ct);
            FlowCommands.Render(context, updated, json: false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var app = CommandActions.AppOption();
        var user = new Argument<string>("user") { Description = "User to remove (the last one removes the protection)" };
        var command = new Command("rm", "Remove a user") { app, user };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            FlowCommands.Render(context, await client.RemoveProtectUserAsync(context.App(parse.GetValue(app)), parse.GetValue(user)!, ct), json: false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
