using Nuage.Core.Addons;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

/// <summary>
/// MariaDB 10.11 from Debian (type "mysql", as on Clever Cloud): mariadb-install-db, then a bootstrap run creates the
/// add-on's database and a password-authenticated user for it. root stays on unix_socket authentication, which no
/// client can pass (the server's uid is not root). Passwords are alphanumeric (see AddonCredentials), so they need no SQL quoting.
/// </summary>
internal sealed partial class MariaDbEngine : AddonEngine
{
    public override AddonType Type { get; } = AddonTypes.Find(AddonTypes.MySql)!;

    public override void WriteConfig(AddonContext context)
    {
        // Nothing to write: every option is on the command line (no secret among them).
    }

    public override string InitCommand(AddonContext context)
    {
        var data = Quote(Path.Combine(context.DataDirectory, "mysql"));
        var db = context.Addon.Database;
        var user = context.Addon.Username;
        return $"""
            set -e
            if [ ! -d {data}/mysql ]; then
              rm -rf {data}
              mariadb-install-db --no-defaults --datadir={data} --skip-test-db --auth-root-authentication-method=socket >/dev/null
              printf '%s\n' "FLUSH PRIVILEGES;" "CREATE DATABASE \`{db}\`;" "CREATE USER '{user}'@'%' IDENTIFIED BY '${PasswordVariable}';" \
                "GRANT ALL PRIVILEGES ON \`{db}\`.* TO '{user}'@'%' WITH GRANT OPTION;" "GRANT CREATE USER ON *.* TO '{user}'@'%' WITH GRANT OPTION;" \
                | mariadbd --no-defaults --datadir={data} --bootstrap --log-error=/tmp/bootstrap.log || (cat /tmp/bootstrap.log >&2; exit 1)
            fi
            """;
    }

    public override string ServerCommand(AddonContext context) =>
        $"exec mariadbd --no-defaults --datadir={Quote(Path.Combine(context.DataDirectory, "mysql"))} --bind-address=127.0.0.1 --port={Text(context.Port)}"
        + $" --socket=/tmp/mysqld.sock --pid-file=/tmp/mysqld.pid --skip-name-resolve --max-connections={Text(context.Plan.MaxConnections)}"
        + $" --innodb-buffer-pool-size={Text(Math.Max(16, context.Plan.MemoryMiB / 4))}M --performance-schema=OFF";

    /// <summary>
    /// MariaDB 10.11 has no dual passwords: a rotation creates a second user with the same grants (the add-on's user
    /// may create users and pass its grants on, from its creation). An add-on created before that cannot; its password
    /// is then changed in place (not seamless: the old one stops working at once) and nothing is left to revoke.
    /// </summary>
    public override async Task<string> AddCredentialAsync(AddonRecord addon, string host, int port, string password, string newPassword, CancellationToken cancellationToken)
    {
        var user = NewUser();
        var db = addon.Database;
        try
        {
            await SqlAsync(addon, host, port, password, $"CREATE USER '{user}'@'%' IDENTIFIED BY '{newPassword}'; GRANT ALL PRIVILEGES ON `{db}`.* TO '{user}'@'%' WITH GRANT OPTION; GRANT CREATE USER ON *.* TO '{user}'@'%' WITH GRANT OPTION;", cancellationToken);
            return user;
        }
        catch (Core.Errors.NuageException e) when (e.Message.Contains("denied", StringComparison.OrdinalIgnoreCase))
        {
            await SqlAsync(addon, host, port, password, $"ALTER USER '{addon.Username}'@'%' IDENTIFIED BY '{newPassword}'", cancellationToken);
            return addon.Username;
        }
    }

    public override Task RevokeCredentialAsync(AddonRecord addon, string host, int port, string password, string oldUser, string oldPassword, CancellationToken cancellationToken) =>
        oldUser == addon.Username ? Task.CompletedTask : SqlAsync(addon, host, port, password, $"DROP USER IF EXISTS '{oldUser}'@'%'", cancellationToken);

    public override async Task<int?> ConnectionsAsync(AddonRecord addon, string host, int port, string password, CancellationToken cancellationToken)
    {
        var result = await AddonTool.RunCapturedAsync("/usr/bin/mariadb", ["-h", host, "-P", Text(port), "-u", addon.Username, addon.Database, "-N", "-B",
            "-e", "SHOW STATUS LIKE 'Threads_connected'"], new Dictionary<string, string> { ["MYSQL_PWD"] = password }, null, null, cancellationToken);
        return result.ExitCode == 0 && FirstNumber(result.Output) is { } count ? Math.Max(0, count - 1) : null;
    }

    private static Task SqlAsync(AddonRecord addon, string host, int port, string password, string sql, CancellationToken cancellationToken) =>
        AddonTool.RunAsync("/usr/bin/mariadb", ["-h", host, "-P", Text(port), "-u", addon.Username, addon.Database, "-e", sql],
            new Dictionary<string, string> { ["MYSQL_PWD"] = password }, null, null, cancellationToken);

    public override string BackupExtension => "sql";

    public override Task BackupAsync(AddonRecord addon, string host, int port, string password, string file, CancellationToken cancellationToken) =>
        AddonTool.RunAsync("/usr/bin/mariadb-dump", ["--single-transaction", "--routines", "--triggers", "-h", host, "-P", Text(port), "-u", addon.Username, addon.Database],
            new Dictionary<string, string> { ["MYSQL_PWD"] = password }, null, file, cancellationToken);

    public override Task RestoreAsync(AddonRecord addon, string host, int port, string password, string file, CancellationToken cancellationToken) =>
        AddonTool.RunAsync("/usr/bin/mariadb", ["-h", host, "-P", Text(port), "-u", addon.Username, addon.Database],
            new Dictionary<string, string> { ["MYSQL_PWD"] = password }, file, null, cancellationToken);

    public override IReadOnlyDictionary<string, string> LinkVariables(AddonRecord addon, string host, int port, string password)
    {
        var uri = $"mysql://{addon.Username}:{Uri.EscapeDataString(password)}@{host}:{Text(port)}/{addon.Database}";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MYSQL_ADDON_HOST"] = host,
            ["MYSQL_ADDON_PORT"] = Text(port),
            ["MYSQL_ADDON_DB"] = addon.Database,
            ["MYSQL_ADDON_USER"] = addon.Username,
            ["MYSQL_ADDON_PASSWORD"] = password,
            ["MYSQL_ADDON_URI"] = uri,
            ["MYSQL_ADDON_VERSION"] = addon.Version,
            ["DATABASE_URL"] = uri,
        };
    }
}
