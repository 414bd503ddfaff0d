using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Git;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage create</c>, <c>link</c>, <c>apps</c>, <c>status</c>, <c>delete</c>.</summary>
internal static class AppCommands
{
    public static IEnumerable<Command> Create(CliContext context) => [CreateApp(context), Link(context), List(context), Status(context), Delete(context)];

    private static Command CreateApp(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "App name: 2-48 characters of a-z, 0-9 and '-'" };
        var runtime = new Option<string>("--type", "-t") { Description = "Runtime: static, node, python, php, dotnet, go, procfile", Required = true };
        var flavor = new Option<string?>("--flavor") { Description = "Instance size: pico, nano, XS, S, M, L, XL (default nano)" };
        var instances = new Option<int?>("--instances") { Description = "Number of instances (default 1)" };
        var json = CommandActions.JsonOption();
        var command = new Command("create", "Create an app (in a git work tree, also link it with .nuage.json)") { name, runtime, flavor, instances, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var app = await client.CreateAppAsync(
                new CreateAppRequest { Name = parse.GetValue(name), Runtime = parse.GetValue(runtime), Flavor = parse.GetValue(flavor), Instances = parse.GetValue(instances) },
                ct);
            var root = AppLink.GitRoot(context.Env.WorkingDirectory);
            var linked = root is null ? null : AppLink.Write(root, new AppLink(app.Name));
            if (parse.GetValue(json))
            {
                context.Output.Json(app, CliJson.Default.AppDto);
                return ExitCodes.Ok;
            }

            context.Output.Success($"Created {app.Name} ({app.Runtime}, {app.Flavor} × {app.Instances}).");
            context.Output.Line($"  url:  {app.Url}");
            context.Output.Line($"  git:  {GitRemote.Url(client.Url, app.Name)}");
            if (linked is not null)
            {
                context.Output.Line($"  linked: {linked}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Link(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Existing app to link this directory to" };
        var command = new Command("link", "Link the current work tree to an existing app (.nuage.json)") { name };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var app = await client.GetAppAsync(parse.GetValue(name)!, ct);
            var dir = AppLink.GitRoot(context.Env.WorkingDirectory) ?? context.Env.WorkingDirectory;
            context.Output.Success($"Linked {AppLink.Write(dir, new AppLink(app.Name))} to {app.Name}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = CommandActions.JsonOption();
        var command = new Command("apps", "List apps") { json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var apps = await client.ListAppsAsync(ct);
            context.Output.Listing(
                [.. apps],
                parse.GetValue(json),
                CliJson.Default.ListAppDto,
                ["NAME", "RUNTIME", "FLAVOR", "INSTANCES", "STATUS", "URL"],
                a => [a.Name, a.Runtime, a.Flavor, a.Instances.ToString(CultureInfo.InvariantCulture), a.Describe(), a.Url],
                "No apps yet: create one with 'nuage create NAME -t RUNTIME'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status(CliContext context)
    {
        var app = CommandActions.AppOption();
        var json = CommandActions.JsonOption();
        var command = new Command("status", "Show an app's state") { app, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var dto = await client.GetAppAsync(context.App(parse.GetValue(app)), ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(dto, CliJson.Default.AppDto);
                return ExitCodes.Ok;
            }

            context.Output.Table(
                ["FIELD", "VALUE"],
                [
                    ["name", dto.Name], ["id", dto.Id], ["status", dto.Describe()], ["runtime", dto.Runtime], ["flavor", dto.Flavor],
                    ["instances", dto.Instances.ToString(CultureInfo.InvariantCulture)], ["url", dto.Url],
                    ["release", dto.CurrentDeploymentId ?? "none yet"], ["created", dto.CreatedAt.ToString("u", CultureInfo.InvariantCulture)],
                ]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var app = CommandActions.AppOption();
        var yes = new Option<bool>("--yes", "-y") { Description = "Confirm: the app, its releases, data and variables are removed" };
        var command = new Command("delete", "Delete an app and everything it owns") { app, yes };
        command.Run(context, async (parse, ct) =>
        {
            var name = context.App(parse.GetValue(app));
            if (!parse.GetValue(yes))
            {
                throw CliException.Invalid($"Deleting {name} removes its releases, data and variables; add --yes to confirm.");
            }

            using var client = context.Client();
            await client.DeleteAppAsync(name, ct);
            context.Output.Success($"Deleted {name}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
