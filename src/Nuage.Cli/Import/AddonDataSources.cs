using Nuage.Core.Addons;
using Nuage.Core.Errors;

namespace Nuage.Cli.Import;

/// <summary>An add-on the import creates and the live database its data is copied from (<c>--with-addons</c>).</summary>
/// <param name="Variable">The source variable the URL was read from, as the report names it.</param>
internal sealed record AddonDataSource(string Addon, string Variable, string Url);

/// <summary>
/// Finds the old database's URL among the imported variables: the first of <c>names</c> whose value is a URL of the
/// add-on's type (POSTGRESQL_ADDON_URI, MYSQL_ADDON_URI, REDIS_URL, DATABASE_URL, …); for Clever Cloud's add-ons
/// without a URI variable, one is built from its HOST/PORT/USER/PASSWORD/DB variables.
/// </summary>
internal static class AddonDataSources
{
    /// <summary>The variables that carry a database URL, in the order they are tried, per add-on type.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> UrlVariables = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [AddonTypes.PostgreSql] = ["POSTGRESQL_ADDON_URI", "DATABASE_URL"],
        [AddonTypes.MySql] = ["MYSQL_ADDON_URI", "JAWSDB_MARIA_URL", "JAWSDB_URL", "CLEARDB_DATABASE_URL", "DATABASE_URL"],
        [AddonTypes.Redis] = ["REDIS_URL"],
    };

    /// <summary>The URL of a <paramref name="type"/> database among <paramref name="variables"/>, and the variable it came from; null when there is none.</summary>
    public static (string Variable, string Url)? Find(string type, IEnumerable<KeyValuePair<string, string>> variables)
    {
        var all = variables.GroupBy(v => v.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        foreach (var name in UrlVariables[type])
        {
            if (all.TryGetValue(name, out var value) && TypeOf(value) == type)
            {
                return (name, value);
            }
        }

        var prefix = type == AddonTypes.PostgreSql ? "POSTGRESQL_ADDON_" : type == AddonTypes.MySql ? "MYSQL_ADDON_" : null;
        if (prefix is not null && all.TryGetValue(prefix + "HOST", out var host) && all.TryGetValue(prefix + "USER", out var user)
            && all.TryGetValue(prefix + "PASSWORD", out var password) && all.TryGetValue(prefix + "DB", out var db))
        {
            var port = all.GetValueOrDefault(prefix + "PORT") is { Length: > 0 } p ? ":" + p : string.Empty;
            var scheme = type == AddonTypes.PostgreSql ? "postgresql" : "mysql";
            return (prefix + "HOST/PORT/USER/PASSWORD/DB", $"{scheme}://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{host}{port}/{Uri.EscapeDataString(db)}");
        }

        return null;
    }

    /// <summary>The add-on type a URL points at, or null when it is not a database URL Nuage imports from.</summary>
    public static string? TypeOf(string? url)
    {
        try
        {
            return AddonSourceUrl.Parse("url", url).Type;
        }
        catch (NuageException)
        {
            return null;
        }
    }
}
