using System.CommandLine;
using Nuage.Cli.Client;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Errors;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage login</c> (with a token, or <c>--oidc</c>: the device authorization grant), <c>logout</c>, <c>whoami</c>.</summary>
internal static class AuthCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var url = new Option<string>("--url") { Description = "Server API URL, e.g. http://127.0.0.1:7070", Required = true };
        var token = new Option<string>("--token") { Description = "API token (the admin token is in DATA/admin-token); not with --oidc" };
        var oidc = new Option<bool>("--oidc") { Description = "Sign in at the server's OpenID Connect issuer (device code: approve it in a browser)" };
        var issuer = new Option<string>("--issuer") { Description = "With --oidc: which issuer, when the server trusts several" };
        var browser = new Option<bool>("--browser") { Description = "With --oidc: sign in through a browser on this machine (loopback redirect) instead of a device code" };
        var login = new Command("login", "Check a server URL and token (or sign in with --oidc), then remember them") { url, token, oidc, issuer, browser };
        login.Run(context, async (parse, ct) =>
        {
            if (parse.GetValue(oidc))
            {
                if (parse.GetValue(token) is not null)
                {
                    throw CliException.Invalid("--token: give either --token or --oidc, not both.");
                }

                if (parse.GetValue(browser))
                {
                    return await OidcBrowserLogin.RunAsync(context, parse.GetValue(url)!, parse.GetValue(issuer), ct);
                }

                try
                {
                    return await OidcLogin.RunAsync(context, parse.GetValue(url)!, parse.GetValue(issuer), ct);
                }
                catch (ApiException e) when (e.Problem.Code == ErrorCodes.OidcDeviceUnsupported)
                {
                    // A terminal sign-in uses the device grant; an issuer without it gets the browser flow instead (RFC 8252).
                    context.Output.Line("The issuer has no device sign-in; signing in through a browser instead.");
                    return await OidcBrowserLogin.RunAsync(context, parse.GetValue(url)!, parse.GetValue(issuer), ct);
                }
            }

            if (parse.GetValue(browser))
            {
                throw CliException.Invalid("--browser: only with --oidc.");
            }

            var secret = parse.GetValue(token)
                ?? throw CliException.Invalid("--token: required (the admin token is in DATA/admin-token), or sign in with --oidc.");
            if (parse.GetValue(issuer) is not null)
            {
                throw CliException.Invalid("--issuer: only with --oidc.");
            }

            using var client = new NuageClient(parse.GetValue(url)!, secret);
            var me = await client.WhoAmIAsync(ct);
            ConfigFile.Write(context.Env, new CliConfig(client.Url, secret));
            context.Output.Success($"Logged in to {client.Url} as {me.TokenId} ({me.Role}).");
            return ExitCodes.Ok;
        });

        var logout = new Command("logout", "Forget the stored server URL and token (an --oidc session is revoked on the server)");
        logout.Run(context, async (_, ct) =>
        {
            var stored = ConfigFile.Read(context.Env);
            var revoked = stored?.SessionTokenId is { } id ? await OidcLogin.RevokeAsync(context, stored, id, ct) : ExitCodes.Ok;
            context.Output.Line(ConfigFile.Delete(context.Env) ? "Logged out." : "Not logged in.");
            return revoked;
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
                var who = me.User is null ? string.Empty : $" as {me.User}";
                var org = me.Org is null ? string.Empty : $" in {me.Org}";
                context.Output.Line($"{me.TokenId} ({me.Role}){who}{org} on {client.Url}{(me.Description.Length > 0 ? " — " + me.Description : string.Empty)}");
            }

            return ExitCodes.Ok;
        });

        return [login, logout, whoami];
    }
}
