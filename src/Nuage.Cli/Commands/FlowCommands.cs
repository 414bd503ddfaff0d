using System.CommandLine;
using Nuage.Cli.Config;
using Nuage.Cli.Hosting;
using Nuage.Core.Api;

namespace Nuage.Cli.Commands;

/// <summary>
/// <c>nuage flow show|https|canonical|compression|header|rule</c>: what the router does with an app's requests before
/// forwarding them. Each command reads the current flow, changes one thing and writes it back; the server validates it.
/// </summary>
internal static class FlowCommands
{
    /// <summary>The common security headers <c>nuage flow header security</c> sets (HSTS is separate and off by default).</summary>
    private static readonly FlowHeaderDto[] SecurityHeaders =
    [
        new("X-Content-Type-Options", "nosniff"),
        new("X-Frame-Options", "SAMEORIGIN"),
        new("Referrer-Policy", "strict-origin-when-cross-origin"),
    ];

    public static Command Create(CliContext context)
    {
        var flow = new Command("flow", "Redirects, rewrites, response headers and compression applied by the router to an app's requests");
        flow.Subcommands.Add(Show(context));
        flow.Subcommands.Add(Toggle(context, "https", "Redirect http:// to https:// with 308 (on|off)", (f, on) => f with { ForceHttps = on }));
        flow.Subcommands.Add(Toggle(context, "compression", "gzip/brotli compressible responses for clients that accept it (on|off)", (f, on) => f with { Compression = on }));
        flow.Subcommands.Add(Canonical(context));
        flow.Subcommands.Add(Headers(context));
        flow.Subcommands.Add(Rules(context));
        flow.Subcommands.Add(Cache(context));
        return flow;
    }

    private static Command Cache(CliContext context)
    {
        var app = CommandActions.AppOption();
        var size = new Option<string>("--size") { Description = "Cache size cap, e.g. 64MB (1MB to 1GB; KB, MB, GB), or off", Required = true };
        var command = new Command("cache", "Opt-in response cache of the app (honours Cache-Control, Vary and ETag; emptied by each deploy)") { app, size };
        command.Run(context, (parse, ct) =>
        {
            var bytes = ParseSize(parse.GetValue(size)!);
            return ChangeAsync(context, parse.GetValue(app), f => f with { CacheSizeBytes = bytes }, ct);
        });
        var purgeApp = CommandActions.AppOption();
        var purge = new Command("purge", "Empty the app's response cache") { purgeApp };
        purge.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            Render(context, await client.PurgeCacheAsync(context.App(parse.GetValue(purgeApp)), ct), json: false);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(purge);
        return command;
    }

    /// <summary><c>64MB</c>, <c>512KB</c>, <c>1GB</c>, <c>1048576</c> (bytes) or <c>off</c> (null); the server checks the range.</summary>
    internal static long? ParseSize(string text)
    {
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var upper = text.Trim().ToUpperInvariant();
        var (digits, factor) = upper.EndsWith("GB", StringComparison.Ordinal) ? (upper[..^2], 1024L * 1024 * 1024)
            : upper.EndsWith("MB", StringComparison.Ordinal) ? (upper[..^2], 1024L * 1024)
            : upper.EndsWith("KB", StringComparison.Ordinal) ? (upper[..^2], 1024L)
            : (upper, 1L);
        return long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= long.MaxValue / factor
            ? n * factor
            : throw CliException.Invalid($"--size: '{text}' is not a size; give e.g. 64MB, 512KB, 1GB, or off.");
    }

    private static Command Show(CliContext context)
    {
        var app = CommandActions.AppOption();
        var json = CommandActions.JsonOption();
        var command = new Command("show", "Show the app's request flow") { app, json };
        command.Run(context, async (parse, ct) =>
        {
            using var client = context.Client();
            Render(context, await client.GetFlowAsync(context.App(parse.GetValue(app)), ct), parse.GetValue(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Toggle(CliContext context, string name, string description, Func<FlowDto, bool, FlowDto> set)
    {
        var app = CommandActions.AppOption();
        var state = new Argument<string>("state") { Description = "on or off" };
        state.AcceptOnlyFromAmong("on", "off");
        var command = new Command(name, description) { app, state };
        command.Run(context, (parse, ct) => ChangeAsync(context, parse.GetValue(app), f => set(f, parse.GetValue(state) == "on"), ct));
        return command;
    }

    private static Command Canonical(CliContext context)
    {
        var app = CommandActions.AppOption();
        var host = new Argument<string>("host") { Description = "Host every other host of the app redirects to (308), e.g. www.example.com; 'off' to stop" };
        var command = new Command("canonical", "Redirect every other host of the app to one canonical host (e.g. apex → www)") { app, host };
        command.Run(context, (parse, ct) =>
        {
            var value = parse.GetValue(host)!.Trim().TrimEnd('.').ToLowerInvariant();
            return ChangeAsync(context, parse.GetValue(app), f => f with { CanonicalHost = value == "off" ? null : value }, ct);
        });
        return command;
    }

    private static Command Headers(CliContext context)
    {
        var header = new Command("header", "Response headers the router sets on every answer of the app");

        var app = CommandActions.AppOption();
        var name = new Argument<string>("name") { Description = "Header name, e.g. Strict-Transport-Security" };
        var value = new Argument<string>("value") { Description = "Header value, e.g. max-age=31536000" };
        var set = new Command("set", "Set (or replace) a response header") { app, name, value };
        set.Run(context, (parse, ct) => ChangeAsync(context, parse.GetValue(app), f => f with
        {
            Headers = [.. f.Headers.Where(h => !h.Name.Equals(parse.GetValue(name), StringComparison.OrdinalIgnoreCase)), new FlowHeaderDto(parse.GetValue(name)!, parse.GetValue(value)!)],
        }, ct));
        header.Subcommands.Add(set);

        var rmApp = CommandActions.AppOption();
        var rmName = new Argument<string>("name") { Description = "Header name" };
        var rm = new Command("rm", "Stop setting a response header") { rmApp, rmName };
        rm.Run(context, (parse, ct) => ChangeAsync(context, parse.GetValue(rmApp), f => f with
        {
            Headers = [.. f.Headers.Where(h => !h.Name.Equals(parse.GetValue(rmName), StringComparison.OrdinalIgnoreCase))],
        }, ct));
        header.Subcommands.Add(rm);

        var secApp = CommandActions.AppOption();
        var security = new Command("security", "Set X-Content-Type-Options, X-Frame-Options and Referrer-Policy (HSTS stays off: set it with 'header set')") { secApp };
        security.Run(context, (parse, ct) => ChangeAsync(context, parse.GetValue(secApp), f => f with
        {
            Headers = [.. f.Headers.Where(h => !SecurityHeaders.Any(s => s.Name.Equals(h.Name, StringComparison.OrdinalIgnoreCase))), .. SecurityHeaders],
        }, ct));
        header.Subcommands.Add(security);
        return header;
    }

    private static Command Rules(CliContext context)
    {
        var rule = new Command("rule", "Ordered path rules: the first whose pattern matches the request path applies");

        var app = CommandActions.AppOption();
        var kind = new Argument<string>("kind") { Description = "redirect (answer with Location) or rewrite (change the path the app receives)" };
        kind.AcceptOnlyFromAmong("redirect", "rewrite");
        var pattern = new Argument<string>("pattern") { Description = "Regular expression matched against the path, e.g. ^/old/(.*)$" };
        var target = new Argument<string>("target") { Description = "New path (or URL for a redirect), may use groups: /new/$1" };
        var status = new Option<int>("--status") { Description = "Redirect status: 301, 302, 303, 307 or 308", DefaultValueFactory = _ => 308 };
        var add = new Command("add", "Append a path rule") { app, kind, pattern, target, status };
        add.Run(context, (parse, ct) => ChangeAsync(context, parse.GetValue(app), f => f with
        {
            Rules = [.. f.Rules, new FlowRuleDto(parse.GetValue(kind)!, parse.GetValue(pattern)!, parse.GetValue(target)!, parse.GetValue(status))],
        }, ct));
        rule.Subcommands.Add(add);

        var rmApp = CommandActions.AppOption();
        var index = new Argument<int>("number") { Description = "Rule number, as 'nuage flow show' lists it (from 1)" };
        var rm = new Command("rm", "Remove a path rule") { rmApp, index };
        rm.Run(context, (parse, ct) => ChangeAsync(context, parse.GetValue(rmApp), f =>
        {
            var n = parse.GetValue(index);
            if (n < 1 || n > f.Rules.Count)
            {
                throw CliException.Invalid($"rule {n} does not exist; the app has {f.Rules.Count} rule(s) ('nuage flow show' lists them)");
            }

            return f with { Rules = [.. f.Rules.Where((_, i) => i != n - 1)] };
        }, ct));
        rule.Subcommands.Add(rm);
        return rule;
    }

    private static async Task<int> ChangeAsync(CliContext context, string? appOption, Func<FlowDto, FlowDto> change, CancellationToken cancellationToken)
    {
        using var client = context.Client();
        var app = context.App(appOption);
        var updated = await client.SetFlowAsync(app, change(await client.GetFlowAsync(app, cancellationToken)), cancellationToken);
        Render(context, updated, json: false);
        return ExitCodes.Ok;
    }

    internal static void Render(CliContext context, FlowDto flow, bool json)
    {
        if (json)
        {
            context.Output.Json(flow, CliJson.Default.FlowDto);
            return;
        }

        context.Output.Line($"force https:  {(flow.ForceHttps ? "on (308)" : "off")}");
        context.Output.Line($"canonical:    {flow.CanonicalHost ?? "off"}");
        context.Output.Line($"compression:  {(flow.Compression ? "on" : "off")}");
        context.Output.Line($"cache:        {(flow.CacheSizeBytes is { } cacheSize ? $"{cacheSize / (1024 * 1024)} MB" : "off")}");
        context.Output.Line($"protection:   {(flow.BasicAuth is { } basic ? $"basic auth, realm \"{basic.Realm}\", users {string.Join(", ", basic.Users)}" + (basic.ExcludedPaths.Count > 0 ? $", open paths {string.Join(", ", basic.ExcludedPaths)}" : "") : flow.Oidc is null ? "none" : "OpenID Connect")}");
        if (flow.Oidc is { } oidc)
        {
            context.Output.Line($"  issuer:     {oidc.Issuer}");
            context.Output.Line($"  client:     {oidc.ClientId} ({(oidc.HasClientSecret ? "confidential, secret stored sealed" : "public, PKCE only")})");
            context.Output.Line($"  allowed:    {Allowed(oidc)}");
            context.Output.Line($"  open paths: {(oidc.ExcludedPaths is { Count: > 0 } open ? string.Join(", ", open) : "health checks only")}");
            context.Output.Line($"  session:    {oidc.SessionLifetimeSeconds} s{(oidc.PassAccessToken ? ", access token passed to the app" : "")}");
        }
        context.Output.Line(flow.Headers.Count == 0 ? "headers:      none" : "headers:");
        foreach (var header in flow.Headers)
        {
            context.Output.Line($"  {header.Name}: {header.Value}");
        }

        context.Output.Line(flow.Rules.Count == 0 ? "rules:        none" : "rules:");
        for (var i = 0; i < flow.Rules.Count; i++)
        {
            var r = flow.Rules[i];
            context.Output.Line($"  {i + 1}. {r.Kind} {r.Pattern} -> {r.Target}{(r.Kind == "redirect" ? $" ({r.Status})" : "")}");
        }
    }

    private static string Allowed(OidcProtectionDto oidc)
    {
        var parts = new List<string>();
        if (oidc.AllowedEmails is { Count: > 0 } emails)
        {
            parts.Add("emails " + string.Join(", ", emails));
        }

        if (oidc.AllowedDomains is { Count: > 0 } domains)
        {
            parts.Add("domains " + string.Join(", ", domains));
        }

        if (oidc.AllowedGroups is { Count: > 0 } groups)
        {
            parts.Add("groups " + string.Join(", ", groups));
        }

        return parts.Count == 0 ? "anyone the issuer signs in" : string.Join("; ", parts);
    }
}
