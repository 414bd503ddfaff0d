using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage domain add|rm|list</c>: custom domains of an app, optionally served over HTTPS with a certificate.</summary>
internal static class DomainCommands
{
    public static Command Create(CliContext context)
    {
        var domain = new Command("domain", "Manage an app's custom domains (and their HTTPS certificates)");
        domain.Subcommands.Add(Add(context));
        domain.Subcommands.Add(Remove(context));
        domain.Subcommands.Add(List(context));
        return domain;
    }

    private static Command Add(CliContext context)
    {
        var app = CommandActions.AppOption();
        var name = new Argument<string>("domain") { Description = "Domain to serve the app at, e.g. www.example.com (point its DNS at this server)" };
        var cert = new Option<string?>("--cert") { Description = "PEM certificate file (leaf first) to serve the domain over HTTPS" };
        var key = new Option<string?>("--key") { Description = "PEM private key file of the certificate (stored sealed on the server)" };
        var json = CommandActions.JsonOption();
        var command = new Command("add", "Serve the app at a custom domain; with --cert and --key also over HTTPS (again: replace the certificate)")
        {
            app, name, cert, key, json,
        };
        command.Run(context, async (parse, ct) =>
        {
            var certPath = parse.GetValue(cert);
            var keyPath = parse.GetValue(key);
            if ((certPath is null) != (keyPath is null))
            {
                throw CliException.Invalid("give both --cert FILE and --key FILE (or neither, for HTTP only)");
            }

            var request = new AddDomainRequest
            {
                Domain = parse.GetValue(name)!.Trim().TrimEnd('.').ToLowerInvariant(),
                Certificate = certPath is null ? null : await ReadAsync(context, "--cert", certPath, ct),
                Key = keyPath is null ? null : await ReadAsync(context, "--key", keyPath, ct),
            };
            using var client = context.Client();
            var added = await client.AddDomainAsync(context.App(parse.GetValue(app)), request, ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(added, CliJson.Default.DomainDto);
            }
            else
            {
                context.Output.Success(added switch
                {
                    { Acme: not null } when certPath is null => $"Added {added.Domain}; its certificate is being obtained by ACME (port 80 must reach this server). 'nuage domain list' shows its state.",
                    { Https: true } => $"Added {added.Domain} (HTTP and HTTPS; certificate valid until {Date(added.CertificateNotAfter)}).",
                    _ => $"Added {added.Domain} (HTTP). Point its DNS at this server.",
                });
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var app = CommandActions.AppOption();
        var name = new Argument<string>("domain") { Description = "Custom domain to stop serving" };
        var command = new Command("rm", "Stop serving the app at a custom domain (its certificate is deleted)") { app, name };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var domain = parse.GetValue(name)!.Trim().TrimEnd('.').ToLowerInvariant();
            await client.RemoveDomainAsync(context.App(parse.GetValue(app)), domain, ct);
            context.Output.Success($"Removed {domain}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var app = CommandActions.AppOption();
        var json = CommandActions.JsonOption();
        var command = new Command("list", "List the app's custom domains") { app, json };
        command.Aliases.Add("ls");
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var domains = await client.ListDomainsAsync(context.App(parse.GetValue(app)), ct);
            context.Output.Listing(
                domains,
                parse.GetValue(json),
                CliJson.Default.ListDomainDto,
                ["DOMAIN", "HTTPS", "CERTIFICATE", "EXPIRES", "ACME"],
                d => [d.Domain, d.Https ? "yes" : "no", d.CertificateSubject ?? "-", Date(d.CertificateNotAfter), Acme(d.Acme)],
                "No custom domains; add one with 'nuage domain add DOMAIN'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string> ReadAsync(CliContext context, string option, string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path, context.Env.WorkingDirectory);
        try
        {
            return await File.ReadAllTextAsync(full, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Invalid($"{option}: cannot read {full}: {e.Message}");
        }
    }

    private static string Date(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>ACME column: status, and for a failure the CA's detail and the next attempt.</summary>
    private static string Acme(DomainAcmeDto? acme) => acme switch
    {
        null => "-",
        { Status: "failed" } => $"failed: {acme.LastError} (retry {Date(acme.NextAttemptAt)})",
        { Status: "valid" } => $"valid (renews {Date(acme.NextAttemptAt)})",
        _ => acme.Status,
    };
}
