using System.Globalization;
using Nuage.Core.Errors;

namespace Nuage.Core.Addons;

/// <summary>
/// A live source database to import from (<c>nuage addon import NAME --from URL</c>): postgres://, postgresql://,
/// mysql://, mariadb:// or redis:// with user, password, host, port and database. <see cref="Redacted"/> is the only
/// form that may appear in messages and logs: the password never does.
/// </summary>
public sealed record AddonSourceUrl(string Type, string Host, int Port, string User, string Password, string Database)
{
    /// <summary>The URL schemes accepted, as error messages list them.</summary>
    public const string AcceptedSchemes = "postgres://, postgresql://, mysql://, mariadb://, redis://";

    /// <summary>The URL with the password replaced by "***".</summary>
    public string Redacted => $"{Type}://{(User.Length > 0 ? Uri.EscapeDataString(User) + (Password.Length > 0 ? ":***" : string.Empty) + "@" : Password.Length > 0 ? ":***@" : string.Empty)}{Host}:{Port.ToString(CultureInfo.InvariantCulture)}/{Database}";

    /// <summary>Parses <paramref name="text"/>; every problem is a <see cref="FieldError"/> on <paramref name="field"/> that never repeats the password.</summary>
    public static AddonSourceUrl Parse(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Bad(field, text, $"is required: the source database's URL ({AcceptedSchemes})");
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw Bad(field, RedactRaw(text), $"is not a URL with a host; write it like postgres://USER:PASSWORD@HOST:5432/DATABASE ({AcceptedSchemes})");
        }

        var type = uri.Scheme.ToLowerInvariant() switch
        {
            "postgres" or "postgresql" => AddonTypes.PostgreSql,
            "mysql" or "mariadb" => AddonTypes.MySql,
            "redis" => AddonTypes.Redis,
            _ => null,
        };
        var shown = RedactRaw(text);
        if (type is null)
        {
            throw Bad(field, shown, $"has the scheme \"{uri.Scheme}\"; accepted: {AcceptedSchemes} (TLS schemes such as rediss:// are not supported)");
        }

        var (user, password) = SplitUserInfo(uri.UserInfo);
        var path = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var port = uri.IsDefaultPort || uri.Port <= 0 ? DefaultPort(type) : uri.Port;
        if (type == AddonTypes.Redis)
        {
            path = path.Length == 0 ? "0" : path;
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > 15)
            {
                throw Bad(field, shown, $"names the Redis database \"{path}\"; use a database number 0-15 (redis://:PASSWORD@HOST:6379/0)");
            }

            return new AddonSourceUrl(type, uri.Host, port, user, password, path);
        }

        if (user.Length == 0)
        {
            throw Bad(field, shown, $"has no user; write it like {uri.Scheme}://USER:PASSWORD@{uri.Host}/DATABASE");
        }

        if (path.Length == 0 || path.Contains('/', StringComparison.Ordinal))
        {
            throw Bad(field, shown, $"has no database name (or more than one path segment); write it like {uri.Scheme}://USER:PASSWORD@{uri.Host}/DATABASE");
        }

        return new AddonSourceUrl(type, uri.Host, port, user, password, path);
    }

    /// <summary>The URL as typed, with anything between "://user:" and "@" replaced: safe to echo even when it does not parse.</summary>
    public static string RedactRaw(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        var at = text.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
        {
            return text.Contains('@', StringComparison.Ordinal) ? "(a URL with credentials, not repeated)" : text;
        }

        var info = text[(scheme + 3)..at];
        var colon = info.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? text : string.Concat(text.AsSpan(0, scheme + 3 + colon + 1), "***", text.AsSpan(at));
    }

    private static NuageException Bad(string field, string? value, string message) =>
        NuageException.Invalid(ErrorCodes.AddonImportInvalid, [new FieldError(field, value, message)]);

    private static (string User, string Password) SplitUserInfo(string info)
    {
        var colon = info.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(info), string.Empty)
            : (Uri.UnescapeDataString(info[..colon]), Uri.UnescapeDataString(info[(colon + 1)..]));
    }

    private static int DefaultPort(string type) => type switch
    {
        AddonTypes.PostgreSql => 5432,
        AddonTypes.MySql => 3306,
        _ => 6379,
    };
}
