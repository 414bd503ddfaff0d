using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary>
/// <c>nuage auth provider add|list|rm</c>: OpenID Connect issuers the server trusts for sign-in, beside its
/// <c>--oidc-issuer</c> flags (platform operator only). A confidential client's secret is never an argument (it would
/// show in <c>ps</c> and shell history): it is read from stdin, a file or an environment variable.
/// </summary>
internal static class AuthProviderCommands
{
    public static Command Create(CliContext context)
    {
        var provider = new Command("provider", "OpenID Connect providers trusted for sign-in (platform operator)");
        provider.Subcommands.Add(Add(context));
        provider.Subcommands.Add(List(context));
        provider.Subcommands.Add(Remove(context));
        return new Command("auth", "Sign-in configuration of the server") { provider };
    }

    private static Command Add(CliContext context)
    {
        var issuer = new Argument<string>("issuer") { Description = "The issuer URL, e.g. https://sso.example.com/realms/acme (discovered now)" };
        var clientId = new Option<string>("--client-id") { Description = "The client registered for Nuage at the issuer", Required = true };
        var secretStdin = new Option<bool>("--client-secret-stdin") { Description = "Confidential client: read its secret from the first line of stdin" };
        var secretFile = new Option<string?>("--client-secret-file") { Description = "Confidential client: read its secret from this file (first line)" };
        var secretEnv = new Option<string?>("--client-secret-env") { Description = "Confidential client: read its secret from this environment variable" };
        var name = new Option<string?>("--name") { Description = "Label of the console's sign-in button (default: the Keycloak realm, else the host)" };
        var scopes = new Option<string?>("--scopes") { Description = "Scopes to ask for (default \"openid email profile groups\")" };
        var groupRole = new Option<string[]>("--group-role") { Description = "GROUP=ORG:ROLE: members of GROUP become ROLE in ORG (repeatable; default: the server's --oidc-group-role)", AllowMultipleArgumentsPerToken = false };
        var json = CommandActions.JsonOption();
        var command = new Command("add", "Trust an OpenID Connect issuer for sign-in (adding it again replaces its settings)")
        {
            issuer, clientId, secretStdin, secretFile, secretEnv, name, scopes, groupRole, json,
        };
        command.Run(context, async (parse, ct) =>
        {
            var secret = await SecretAsync(context, parse.GetValue(secretStdin), parse.GetValue(secretFile), parse.GetValue(secretEnv), ct);
            var mappings = parse.GetValue(groupRole);
            using var client = context.Client();
            var added = await client.AddOidcProviderAsync(new OidcProviderRequest
            {
                Issuer = parse.GetValue(issuer),
                ClientId = parse.GetValue(clientId),
                ClientSecret = secret,
                Name = parse.GetValue(name),
                Scopes = parse.GetValue(scopes),
                GroupRoles = mappings is { Length: > 0 } ? [.. mappings] : null,
            }, ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(added, CliJson.Default.OidcProviderDto);
            }
            else
            {
                context.Output.Success($"Trusting {added.Issuer} ({added.Name}) with client {added.ClientId}{(added.Confidential ? $", confidential ({added.TokenAuthMethod})" : ", public")}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = CommandActions.JsonOption();
        var command = new Command("list", "List the trusted issuers: from the server's flags and added ones") { json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var providers = await client.ListOidcProvidersAsync(ct);
            context.Output.Listing(
                providers,
                parse.GetValue(json),
                CliJson.Default.ListOidcProviderDto,
                ["ISSUER", "NAME", "CLIENT", "AUTH", "SOURCE", "STATUS", "ADDED"],
                p => [p.Issuer, p.Name, p.ClientId, p.TokenAuthMethod, p.Source, p.Status, p.AddedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-"],
                "No OpenID Connect provider: add one with 'nuage auth provider add URL --client-id ID'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var issuer = new Argument<string>("issuer") { Description = "The issuer URL, as 'nuage auth provider list' shows it" };
        var command = new Command("rm", "Stop trusting an added issuer; the sessions signed in there end now") { issuer };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var removed = await client.RemoveOidcProviderAsync(parse.GetValue(issuer)!, ct);
            context.Output.Success($"Removed {removed.Issuer}; {removed.SessionsEnded ?? 0} session(s) signed in there ended.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The secret from at most one of the three sources; null for a public client.</summary>
    private static async Task<string?> SecretAsync(CliContext context, bool stdin, string? file, string? variable, CancellationToken cancellationToken)
    {
        if ((stdin ? 1 : 0) + (file is null ? 0 : 1) + (variable is null ? 0 : 1) > 1)
        {
            throw CliException.Invalid("--client-secret-stdin, --client-secret-file, --client-secret-env: give at most one.");
        }

        string? secret;
        if (stdin)
        {
            secret = (await context.Env.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r');
            return string.IsNullOrEmpty(secret) ? throw CliException.Invalid("--client-secret-stdin: stdin was empty; pipe the secret in, e.g. 'pass show sso/nuage | nuage auth provider add …'.") : secret;
        }

        if (file is not null)
        {
            var path = Path.GetFullPath(file, context.Env.WorkingDirectory);
            if (!File.Exists(path))
            {
                throw CliException.Invalid($"--client-secret-file: \"{file}\" does not exist; give a readable file holding the secret on its first line.");
            }

            secret = File.ReadLines(path).FirstOrDefault()?.TrimEnd('\r');
            return string.IsNullOrEmpty(secret) ? throw CliException.Invalid($"--client-secret-file: \"{file}\" is empty; its first line must be the secret.") : secret;
        }

        if (variable is not null)
        {
            return context.Env.Variables.GetValueOrDefault(variable) is { Length: > 0 } value ? value
                : throw CliException.Invalid($"--client-secret-env: the environment variable \"{variable}\" is not set or empty.");
        }

        return null;
    }
}
