using System.CommandLine;
using System.Globalization;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary><c>nuage tokens create|list|revoke</c> (admin only).</summary>
internal static class TokenCommands
{
    public static Command Create(CliContext context)
    {
        var tokens = new Command("tokens", "Manage API tokens: your own, or (admins) your organisation's");
        tokens.Subcommands.Add(CreateToken(context));
        tokens.Subcommands.Add(List(context));
        tokens.Subcommands.Add(Revoke(context));
        return tokens;
    }

    private static Command CreateToken(CliContext context)
    {
        var role = new Option<string>("--role") { Description = "viewer, accountant, developer, manager or admin (at most your own)", Required = true };
        var org = new Option<string?>("--org") { Description = "Organisation the token acts in (default: the current one)" };
        var user = new Option<string?>("--user") { Description = "Member who owns it (admins; default: you)" };
        var platformOperator = new Option<bool>("--operator") { Description = "A platform operator token (operator only)" };
        var description = new Option<string?>("--description") { Description = "What the token is for" };
        var expires = new Option<string?>("--expires") { Description = "Lifetime such as 30d, 12h, or an ISO 8601 date" };
        var json = CommandActions.JsonOption();
        var command = new Command("create", "Create a token; its secret is shown once") { role, description, expires, org, user, platformOperator, json };
        command.Run(context, async (parse, ct) =>
        {
            var expiresAt = ParseExpiry(parse.GetValue(expires));
            using var client = context.Client();
            var created = await client.CreateTokenAsync(
                new CreateTokenRequest
                {
                    Role = parse.GetValue(role),
                    Description = parse.GetValue(description),
                    ExpiresAt = expiresAt,
                    Org = parse.GetValue(org),
                    User = parse.GetValue(user),
                    Operator = parse.GetValue(platformOperator) ? true : null,
                }, ct);
            if (parse.GetValue(json))
            {
                context.Output.Json(created, CliJson.Default.CreatedTokenDto);
                return ExitCodes.Ok;
            }

            context.Output.Success($"Created {created.Token.Id} ({created.Token.Role}). Its secret, shown only now:");
            context.Output.Line(created.Secret);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = CommandActions.JsonOption();
        var command = new Command("list", "List tokens") { json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            var tokens = await client.ListTokensAsync(ct);
            context.Output.Listing(
                tokens,
                parse.GetValue(json),
                CliJson.Default.ListTokenDto,
                ["ID", "ROLE", "ORG", "USER", "DESCRIPTION", "CREATED", "EXPIRES", "LAST USED", "STATE"],
                t => [t.Id, t.Operator ? "operator" : t.Role, t.Org ?? "*", t.User ?? "-", t.Description, Time(t.CreatedAt), t.ExpiresAt is { } e ? Time(e) : "never", t.LastUsedAt is { } u ? Time(u) : "never", t.RevokedAt is null ? "active" : "revoked"]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "Token id (tok_…)" };
        var command = new Command("revoke", "Revoke a token at once") { id };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            await client.RevokeTokenAsync(parse.GetValue(id)!, ct);
            context.Output.Success($"Revoked {parse.GetValue(id)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Time(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Accepts 30d / 12h / 45m or an absolute ISO 8601 time.</summary>
    internal static DateTimeOffset? ParseExpiry(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var unit = value[^1];
        if (unit is 'd' or 'h' or 'm' && int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            var span = unit switch { 'd' => TimeSpan.FromDays(amount), 'h' => TimeSpan.FromHours(amount), _ => TimeSpan.FromMinutes(amount) };
            return DateTimeOffset.UtcNow + span;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        throw CliException.Invalid($"--expires: \"{value}\" is not a lifetime; use e.g. 30d, 12h, 45m or 2027-01-31T00:00:00Z");
    }
}
