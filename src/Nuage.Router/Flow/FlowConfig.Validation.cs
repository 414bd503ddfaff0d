using System.Text.RegularExpressions;
using Nuage.Core.Errors;

namespace Nuage.Router.Flow;

public sealed partial record FlowConfig
{
    public const int MaxRules = 50;
    public const int MaxHeaders = 30;
    private const int MaxPatternLength = 500;
    private const int MaxTargetLength = 2000;
    private const int MaxRedirectHops = 10;
    private static readonly int[] RedirectStatuses = [301, 302, 303, 307, 308];

    // Set by the router itself or meaningless to override per response.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Trailer", "TE", "Content-Encoding",
        "Content-Type", "Location", "Set-Cookie", "WWW-Authenticate", "X-Request-Id", "Date", "Server",
    };

    /// <summary>Every problem, each naming its field (<c>rules[2].pattern</c>, <c>headers[0].name</c> …), the value and what is accepted.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (CanonicalHost is { } host && (Uri.CheckHostName(host) != UriHostNameType.Dns || host.EndsWith('.') || host != host.ToLowerInvariant()))
        {
            errors.Add(new FieldError("canonicalHost", host, "not a lowercase DNS name; give the host every other host of the app redirects to, e.g. www.example.com"));
        }

        if (Rules.Count > MaxRules)
        {
            errors.Add(new FieldError("rules", Rules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most {MaxRules} rules"));
        }

        var compiled = new Regex?[Rules.Count];
        for (var i = 0; i < Rules.Count; i++)
        {
            compiled[i] = ValidateRule(Rules[i], $"rules[{i}]", errors);
        }

        if (errors.Count == 0)
        {
            FindRedirectLoop(compiled, errors);
        }

        ValidateHeaders(errors);
        BasicAuth?.Validate(errors);
        Oidc?.Validate(errors);
        if (CacheSizeBytes is { } size && size is < ResponseCache.MinSizeBytes or > ResponseCache.MaxSizeBytes)
        {
            errors.Add(new FieldError("cacheSizeBytes", size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"a cache of {ResponseCache.MinSizeBytes / (1024 * 1024)} MB to {ResponseCache.MaxSizeBytes / (1024 * 1024)} MB per app (e.g. 64MB), or off"));
        }

        if (BasicAuth is not null && Oidc is not null)
        {
            errors.Add(new FieldError("oidc", Oidc.Issuer, "the app is protected with basic auth already; 'nuage protect off' first, then protect it with one of the two"));
        }

        return errors;
    }

    /// <summary>The pattern compiled as the router runs it (culture-invariant, bounded match time).</summary>
    internal static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(50));

    private static Regex? ValidateRule(FlowRule rule, string field, List<FieldError> errors)
    {
        if (rule.Kind is not (FlowRuleKinds.Redirect or FlowRuleKinds.Rewrite))
        {
            errors.Add(new FieldError($"{field}.kind", rule.Kind, $"use {FlowRuleKinds.Redirect} or {FlowRuleKinds.Rewrite}"));
        }

        Regex? regex = null;
        if (string.IsNullOrEmpty(rule.Pattern) || rule.Pattern.Length > MaxPatternLength)
        {
            errors.Add(new FieldError($"{field}.pattern", rule.Pattern, $"give a regular expression of 1 to {MaxPatternLength} characters matched against the path, e.g. ^/old/(.*)$"));
        }
        else
        {
            try
            {
                regex = Compile(rule.Pattern);
            }
            catch (ArgumentException e)
            {
                errors.Add(new FieldError($"{field}.pattern", rule.Pattern, $"not a valid regular expression: {e.Message}"));
            }
        }

        var target = rule.Target ?? "";
        var absolute = Uri.TryCreate(target, UriKind.Absolute, out var url) && url.Scheme is "http" or "https";
        if (target.Length is 0 or > MaxTargetLength || target.Any(char.IsControl) || target.Contains(' ', StringComparison.Ordinal))
        {
            errors.Add(new FieldError($"{field}.target", target, $"give a path starting with / (or, for a redirect, an http(s) URL) of at most {MaxTargetLength} characters, without spaces"));
        }
        else if (rule.Kind == FlowRuleKinds.Rewrite && (!target.StartsWith('/') || target.StartsWith("//", StringComparison.Ordinal)))
        {
            errors.Add(new FieldError($"{field}.target", target, "a rewrite changes the path the app receives: give a path starting with a single /, e.g. /new/$1"));
        }
        else if (rule.Kind == FlowRuleKinds.Redirect && !absolute && (!target.StartsWith('/') || target.StartsWith("//", StringComparison.Ordinal)))
        {
            errors.Add(new FieldError($"{field}.target", target, "give a path starting with a single / or an http(s) URL, e.g. /new/$1 or https://example.com/$1"));
        }

        if (rule.Kind == FlowRuleKinds.Redirect && !RedirectStatuses.Contains(rule.Status))
        {
            errors.Add(new FieldError($"{field}.status", rule.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), "use 301, 302, 303, 307 or 308"));
        }

        return regex;
    }

    /// <summary>
    /// Follows each redirect's target (groups replaced by a sample segment) through the rules, as a browser would: a path
    /// seen twice is a loop between the rules involved, and a chain longer than <see cref="MaxRedirectHops"/> is refused too.
    /// </summary>
    private void FindRedirectLoop(Regex?[] compiled, List<FieldError> errors)
    {
        for (var start = 0; start < Rules.Count; start++)
        {
            if (Rules[start].Kind != FlowRuleKinds.Redirect || !Rules[start].Target.StartsWith('/'))
            {
                continue;
            }

            var path = Regex.Replace(Rules[start].Target, @"\$(\d+|\{\w+\})", "x").Split('?')[0];
            var seen = new List<(string Path, int Rule)> { (path, start) };
            for (var hop = 0; hop < MaxRedirectHops; hop++)
            {
                var next = FirstMatch(compiled, path);
                if (next < 0 || Rules[next].Kind != FlowRuleKinds.Redirect || !Rules[next].Target.StartsWith('/'))
                {
                    break; // the chain ends at a path served (or rewritten) or leaves the app
                }

                path = compiled[next]!.Replace(path, Rules[next].Target, 1).Split('?')[0];
                if (seen.Any(s => s.Path == path))
                {
                    var rules = string.Join(" → ", seen.Select(s => $"rules[{s.Rule}]").Append($"rules[{next}]").Distinct());
                    errors.Add(new FieldError($"rules[{start}]", Rules[start].Pattern, $"redirect loop: {rules} send {seen[0].Path} back to itself; change a target or a pattern"));
                    return;
                }

                seen.Add((path, next));
                if (hop == MaxRedirectHops - 1)
                {
                    errors.Add(new FieldError($"rules[{start}]", Rules[start].Pattern, $"more than {MaxRedirectHops} redirects in a row from {seen[0].Path}; make the rules end at a served path"));
                    return;
                }
            }
        }
    }

    private int FirstMatch(Regex?[] compiled, string path)
    {
        for (var i = 0; i < compiled.Length; i++)
        {
            if (compiled[i]!.IsMatch(path))
            {
                return i;
            }
        }

        return -1;
    }

    private void ValidateHeaders(List<FieldError> errors)
    {
        if (Headers.Count > MaxHeaders)
        {
            errors.Add(new FieldError("headers", Headers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most {MaxHeaders} headers"));
        }

        for (var i = 0; i < Headers.Count; i++)
        {
            var (name, value) = (Headers[i].Name ?? "", Headers[i].Value ?? "");
            if (!IsToken(name))
            {
                errors.Add(new FieldError($"headers[{i}].name", name, "not a header name: use letters, digits and !#$%&'*+-.^_`|~ (RFC 9110 token), e.g. X-Frame-Options"));
            }
            else if (ReservedHeaders.Contains(name))
            {
                errors.Add(new FieldError($"headers[{i}].name", name, "this header is set by the router or the app's response itself and cannot be set here"));
            }

            if (value.Length > 4096 || value.Any(c => c is < ' ' and not '\t' or '\x7f' or > '\xff'))
            {
                errors.Add(new FieldError($"headers[{i}].value", value, "at most 4096 visible Latin-1 characters, without line breaks or control characters"));
            }
        }
    }

    internal static bool IsToken(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
