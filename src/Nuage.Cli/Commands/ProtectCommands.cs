using System.CommandLine;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage protect basic add|rm</c>, <c>nuage protect oidc</c>, <c>nuage protect off</c>, <c>nuage protect show</c>: sign-in required in front of an app.</summary>
internal static class ProtectCommands
{
    public static Command Create(CliContext context)
    {
        var protect = new Command("protect", "Require a sign-in (HTTP basic auth or OpenID Connect) in front of an app; the router checks it before forwarding");
        var basic = new Command("basic", "Basic-auth users of the app (passwords hashed by the server, never stored as given)");
        basic.Subcommands.Add(Add(context));
        basic.Subcommands.Add(Remove(context));
        protect.Subcommands.Add(basic);
        protect.Subcommands.Add(Oidc(context));

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

    private static Command Oidc(CliContext context)
    {
        var app = CommandActions.AppOption();
        var issuer = new Option<string>("--issuer") { Description = "Issuer URL, e.g. https://sso.example.com/realms/acme (discovery at /.well-known/openid-configuration)", Required = true };
        var clientId = new Option<string>("--client-id") { Description = "Client id registered at the issuer, with redirect URI https://HOST/.nuage/oauth2/callback for each host of the app", Required = true };
        var secretStdin = new Option<bool>("--client-secret-stdin") { Description = "Read the client secret from stdin (stored sealed, never listed); without it: a public client, or the stored secret of the same client" };
        var emails = new Option<string[]>("--allow-email") { Description = "Email let in (repeatable)", AllowMultipleArgumentsPerToken = false };
        var domains = new Option<string[]>("--allow-domain") { Description = "Email domain let in, e.g. example.com (repeatable)", AllowMultipleArgumentsPerToken = false };
        var groups = new Option<string[]>("--allow-group") { Description = "Group required (one of them; the ID token's groups claim; repeatable)", AllowMultipleArgumentsPerToken = false };
        var exclude = new Option<string[]>("--exclude") { Description = "Path prefix served without sign-in (repeatable; health checks are always open)", AllowMultipleArgumentsPerToken = false };
        var scopes = new Option<string[]>("--scope") { Description = "Scope to ask for (repeatable; default openid email profile)", AllowMultipleArgumentsPerToken = false };
        var passToken = new Option<bool>("--pass-access-token") { Description = "Send the access token to the app in X-Forwarded-Access-Token" };
        var lifetime = new Option<int?>("--session-seconds") { Description = "Session length before signing in again (60 to 2592000; default 43200)" };
        var command = new Command("oidc", "Protect the app with OpenID Connect sign-in at the router (the OAuth2-Proxy pattern)")
        {
            app, issuer, clientId, secretStdin, emails, domains, groups, exclude, scopes, passToken, lifetime,
        };
        command.Run(context, async (parse, ct) =>
        {
            string? secret = null;
            if (parse.GetValue(secretStdin))
            {
                secret = (await context.Env.In.ReadLineAsync(ct))?.TrimEnd('\r');
                if (string.IsNullOrEmpty(secret))
                {
                    throw CliException.Invalid("--client-secret-stdin: stdin held no secret; pipe it in, e.g. 'pass show sso/app | nuage protect oidc ... --client-secret-stdin'.");
                }
            }

            using var client = context.Client();
            var updated = await client.ProtectOidcAsync(context.App(parse.GetValue(app)), new OidcProtectionDto
            {
                Issuer = parse.GetValue(issuer),
                ClientId = parse.GetValue(clientId),
                ClientSecret = secret,
                AllowedEmails = [.. parse.GetValue(emails) ?? []],
                AllowedDomains = [.. parse.GetValue(domains) ?? []],
                AllowedGroups = [.. parse.GetValue(groups) ?? []],
                ExcludedPaths = [.. parse.GetValue(exclude) ?? []],
                Scopes = parse.GetValue(scopes) is { Length: > 0 } s ? [.. s] : null,
                PassAccessToken = parse.GetValue(passToken),
                SessionLifetimeSeconds = parse.GetValue(lifetime),
            }, ct);
            FlowCommands.Render(context, updated, json: false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
