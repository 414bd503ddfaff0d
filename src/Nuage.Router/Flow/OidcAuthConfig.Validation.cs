using System.Globalization;
using Nuage.Core.Errors;

namespace Nuage.Router.Flow;

internal static class OidcAuthConfigChecks
{
    public const int MaxEntries = 100;
    public const int MinSessionSeconds = 60;
    public const int MaxSessionSeconds = 30 * 24 * 3600;

    public static void Validate(this OidcAuthConfig config, List<FieldError> errors)
    {
        if (!Uri.TryCreate(config.Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http")
            || (issuer.Scheme == "http" && !issuer.IsLoopback) || !string.IsNullOrEmpty(issuer.Query) || !string.IsNullOrEmpty(issuer.Fragment))
        {
            errors.Add(new FieldError("oidc.issuer", config.Issuer, "an https:// issuer URL without query, e.g. https://sso.example.com/realms/acme (http:// only on loopback)"));
        }

        if (config.ClientId.Length is 0 or > 200 || config.ClientId.Any(char.IsControl))
        {
            errors.Add(new FieldError("oidc.clientId", config.ClientId, "the client id registered at the issuer, 1 to 200 characters"));
        }

        if (config.ClientSecret is { } secret && (secret.Length is 0 or > 1000 || secret.Any(char.IsControl)))
        {
            errors.Add(new FieldError("oidc.clientSecret", null, "1 to 1000 characters without control characters (or none for a public client)"));
        }

        if (!IsKey(config.SessionKey))
        {
            errors.Add(new FieldError("oidc.sessionKey", null, "32 random bytes in base64, made by the server"));
        }

        Each(config.Scopes, "oidc.scopes", s => s.Length is > 0 and <= 100 && s.All(c => c > ' ' && c != '"' && c != '\\' && c < 127), "a scope token without spaces or quotes", errors);
        Each(config.AllowedEmails, "oidc.allowedEmails", e => e.Length <= 254 && e.IndexOf('@', StringComparison.Ordinal) > 0 && !e.Any(char.IsWhiteSpace), "an email address such as alice@example.com", errors);
        Each(config.AllowedDomains, "oidc.allowedDomains", d => Uri.CheckHostName(d) == UriHostNameType.Dns && !d.Contains('@', StringComparison.Ordinal), "an email domain such as example.com (no @)", errors);
        Each(config.AllowedGroups, "oidc.allowedGroups", g => g.Length is > 0 and <= 200 && !g.Any(char.IsControl), "a group name as the issuer puts it in the groups claim, e.g. /acme/admins", errors);
        Each(config.ExcludedPaths, "oidc.excludedPaths", p => p.StartsWith('/') && p.Length <= 200 && !p.Any(char.IsControl) && !p.Contains("..", StringComparison.Ordinal)
            && !p.StartsWith(OidcPaths.Prefix, StringComparison.Ordinal), "a path prefix starting with /, at most 200 characters, without '..', outside /.nuage/oauth2/", errors);

        if (config.SessionLifetimeSeconds is < MinSessionSeconds or > MaxSessionSeconds)
        {
            errors.Add(new FieldError("oidc.sessionLifetimeSeconds", config.SessionLifetimeSeconds.ToString(CultureInfo.InvariantCulture), $"{MinSessionSeconds} to {MaxSessionSeconds} seconds"));
        }
    }

    private static bool IsKey(string value)
    {
        var bytes = new byte[48];
        return Convert.TryFromBase64String(value, bytes, out var written) && written == 32;
    }

    private static void Each(IReadOnlyList<string> values, string field, Func<string, bool> ok, string accepted, List<FieldError> errors)
    {
        if (values.Count > MaxEntries)
        {
            errors.Add(new FieldError(field, values.Count.ToString(CultureInfo.InvariantCulture), $"at most {MaxEntries} entries"));
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (!ok(values[i]))
            {
                errors.Add(new FieldError($"{field}[{i}]", values[i], accepted));
            }
        }
    }
}
