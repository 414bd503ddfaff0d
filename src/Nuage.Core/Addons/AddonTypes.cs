namespace Nuage.Core.Addons;

/// <summary>A kind of managed database: its name, the versions this server offers and the Debian package it needs.</summary>
/// <param name="Name">As given to <c>nuage addon create --type</c>; persisted, never renamed.</param>
/// <param name="Package">The Debian package that provides the server (named in the error when it is missing).</param>
/// <param name="ServerBinary">The program whose presence proves the package is installed.</param>
public sealed record AddonType(string Name, string Package, string ServerBinary, IReadOnlyList<string> Versions)
{
    public string DefaultVersion => Versions[0];
}

/// <summary>The add-on types Nuage provisions, each from Debian 12's own packages (one version each).</summary>
public static class AddonTypes
{
    public const string PostgreSql = "postgresql";
    public const string MySql = "mysql";
    public const string Redis = "redis";

    public static IReadOnlyList<AddonType> All { get; } =
    [
        new(PostgreSql, "postgresql-15", "/usr/lib/postgresql/15/bin/postgres", ["15"]),
        new(MySql, "mariadb-server", "/usr/sbin/mariadbd", ["10.11"]),
        new(Redis, "redis-server", "/usr/bin/redis-server", ["7.0"]),
    ];

    public static AddonType? Find(string? name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string Accepted => string.Join(", ", All.Select(t => t.Name));
}
