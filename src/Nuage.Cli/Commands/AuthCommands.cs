using System.CommandLine;
using Nuage.Cli.Client;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage login</c>, <c>logout</c>, <c>whoami</c>.</summary>
internal static class AuthCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var url = new Option<string>("--url") { Description = "Server API URL, e.g. http://127.0.0.1:7070", Required = true };
        var token = new Option<string>("--token") { Description = "API token (the admin token is in DATA/admin-token)", Required = true };
        var login = new Command("login", "Check a server URL and token, then remember them") { url, token };
        login.Run(context, async (parse, ct) =>
        {
            using var client = new NuageClient(parse.GetValue(url)!, parse.GetValue(token)!);
            var me = await client.WhoAmIAsync(ct);
            ConfigFile.Write(context.Env, new CliConfig(client.Url, parse.GetValue(token)!));
            context.Output.Success($"Logged in to {client.Url} as {me.TokenId} ({me.Role}).");
            return ExitCodes.Ok;
        });

        var logout = new Command("logout", "Forget the stored server URL and token");
        logout.Run(context, (_, _) =>
        {
            context.Output.Line(ConfigFile.Delete(context.Env) ? "Logged out." : "Not logged in.");
            return Task.FromResult(ExitCodes.Ok);
        });

        var json = CommandActions.JsonOption();
        var whoami = new Command("whoami", "Show which token and role the CLI uses") { json };
        whoami.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var me = await client.WhoAmIAsync(ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(me, CliJson.Default.WhoAmIDto);
            }
            else
            {
                context.Output.Line($"{me.TokenId} ({me.Role}) on {client.Url}{(me.Description.Length > 0 ? " — " + me.Description : string.Empty)}");
            }

            return ExitCodes.Ok;
        });

        return [login, logout, whoami];
    }
}
