using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage drain create|list|enable|disable|rm</c>: deliver an app's (or, with --addon, an add-on's) log to syslog, HTTP, Elasticsearch or OTLP.</summary>
internal static class DrainCommands
{
    public static Command Create(CliContext context)
    {
        var drain = new Command("drain", "Manage log drains (delivery of the app's log to an external service)");
        drain.Subcommands.Add(CreateDrain(context));
        drain.Subcommands.Add(List(context));
        drain.Subcommands.Add(SetEnabled(context, "enable", true));
        drain.Subcommands.Add(SetEnabled(context, "disable", false));
        drain.Subcommands.Add(Remove(context));
        return drain;
    }

    private static Command CreateDrain(CliContext context)
    {
        var app = CommandActions.AppOption();
        var type = new Option<string>("--type", "-t") { Description = "syslog-udp, syslog-tcp, syslog-tls, http, elasticsearch or otlp", Required = true };
        var url = new Argument<string>("url") { Description = "Where to deliver, e.g. tcp://logs.example.com:514 or https://collector/in" };
        var username = new Option<string?>("--username") { Description = "Basic auth user (http, elasticsearch, otlp)" };
        var password = new Option<string?>("--password") { Description = "Basic auth password (stored sealed)" };
        var token = new Option<string?>("--token") { Description = "Bearer token (stored sealed)" };
        var sdParams = new Option<string?>("--sd-params") { Description = "Syslog structured data: 'key=\"value\" …' or whole '[id@pen key=\"value\"]' elements" };
        var json = CommandActions.JsonOption();
        var addon = AddonOption();
        var command = new Command("create", "Create a drain; it delivers lines written from now on") { app, addon, type, url, username, password, token, sdParams, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var request = new CreateDrainRequest
                {
                    Type = parse.GetValue(type),
                    Url = parse.GetValue(url),
                    Username = parse.GetValue(username),
                    Password = parse.GetValue(password),
                    Token = parse.GetValue(token),
                    SdParams = parse.GetValue(sdParams),
                };
            var created = parse.GetValue(addon) is { } addonName
                ? await client.CreateAddonDrainAsync(addonName, request, ct)
                : await client.CreateDrainAsync(context.App(parse.GetValue(app)), request, ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(created, CliJson.Default.DrainDto);
            }
            else
            {
                context.Output.Success($"Created drain {created.Id} ({created.Type} → {created.Url}).");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A drain of an add-on's log (its database server's lines) instead of an app's.</summary>
    private static Option<string?> AddonOption() => new("--addon") { Description = "The add-on whose server log the drain delivers, instead of an app" };

    private static Command List(CliContext context)
    {
        var app = CommandActions.AppOption();
        var json = CommandActions.JsonOption();
        var addon = AddonOption();
        var command = new Command("list", "List drains with delivered count, backlog and last error") { app, addon, json };
        command.Aliases.Add("ls");
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var drains = parse.GetValue(addon) is { } addonName
                ? await client.ListAddonDrainsAsync(addonName, ct)
                : await client.ListDrainsAsync(context.App(parse.GetValue(app)), ct);
            context.Output.Listing(
                drains,
                parse.GetValue(json),
                CliJson.Default.ListDrainDto,
                ["ID", "TYPE", "URL", "STATE", "DELIVERED", "BACKLOG", "LAST ERROR"],
                d =>
                [
                    d.Id, d.Type, d.Url, d.State,
                    d.Delivered.ToString(CultureInfo.InvariantCulture), d.Backlog.ToString(CultureInfo.InvariantCulture),
                    d.LastError is null ? "-" : $"{d.LastErrorAt:yyyy-MM-dd HH:mm:ss}Z {d.LastError}",
                ]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetEnabled(CliContext context, string verb, bool enabled)
    {
        var app = CommandActions.AppOption();
        var id = new Argument<string>("id") { Description = "Drain id (see 'nuage drain list')" };
        var command = new Command(verb, enabled ? "Resume a drain; it catches up from where it stopped" : "Pause a drain; it keeps its position") { app, id };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            await client.SetDrainEnabledAsync(context.App(parse.GetValue(app)), parse.GetValue(id)!, enabled, ct);
            context.Output.Success($"{(enabled ? "Enabled" : "Disabled")} drain {parse.GetValue(id)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var app = CommandActions.AppOption();
        var id = new Argument<string>("id") { Description = "Drain id (see 'nuage drain list')" };
        var addon = AddonOption();
        var command = new Command("rm", "Delete a drain") { app, addon, id };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            if (parse.GetValue(addon) is { } addonName)
            {
                await client.DeleteAddonDrainAsync(addonName, parse.GetValue(id)!, ct);
            }
            else
            {
                await client.DeleteDrainAsync(context.App(parse.GetValue(app)), parse.GetValue(id)!, ct);
            }

            context.Output.Success($"Removed drain {parse.GetValue(id)}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
