using Nuage.Core.Addons;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

/// <summary>
/// PostgreSQL 15 from Debian: initdb with scram-sha-256 and the add-on's random password, a database named after the
/// add-on owned by its user, every connection (socket or TCP) authenticated by password. PostgreSQL refuses to run
/// under a uid with no passwd entry, so nss_wrapper (libnss-wrapper) gives it one from the add-on's config folder.
/// </summary>
internal sealed partial class PostgresEngine : AddonEngine
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private const string NssWrapper = "/usr/lib/x86_64-linux-gnu/libnss_wrapper.so";

    public override AddonType Type { get; } = AddonTypes.Find(AddonTypes.PostgreSql)!;

    public static string ClientBin => Bin;

    public override void WriteConfig(AddonContext context)
    {
        Write(context.ConfigDirectory, "pg_hba.conf", """
            # Written by Nuage: every connection needs the add-on's password (scram-sha-256).
            local all all scram-sha-256
            host all all 0.0.0.0/0 scram-sha-256
            host all all ::/0 scram-sha-256

            """);
        var uid = Text(context.Uid ?? 0);
        Write(context.ConfigDirectory, "passwd", $"{context.Addon.Username}:x:{uid}:{uid}:nuage add-on:{context.DataDirectory}:/bin/false\n");
        Write(context.ConfigDirectory, "group", $"{context.Addon.Username}:x:{uid}:\n");
    }

    public override IReadOnlyDictionary<string, string> Environment(AddonContext context) => File.Exists(NssWrapper)
        ? new Dictionary<string, string>
        {
            ["LD_PRELOAD"] = NssWrapper,
            ["NSS_WRAPPER_PASSWD"] = Path.Combine(context.ConfigDirectory, "passwd"),
            ["NSS_WRAPPER_GROUP"] = Path.Combine(context.ConfigDirectory, "group"),
        }
        : new Dictionary<string, string>();

    public override string InitCommand(AddonContext context)
    {
        var pgdata = Quote(Path.Combine(context.DataDirectory, "pgdata"));
        var user = Quote(context.Addon.Username);
        return $"""
            set -e
            if [ ! -s {pgdata}/PG_VERSION ]; then
              rm -rf {pgdata}
              {Bin}/initdb -D {pgdata} -U {user} --pwfile=<(printf '%s\n' "${PasswordVariable}") --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-instructions
              printf 'CREATE DATABASE "%s" OWNER "%s";\n' {Quote(context.Addon.Database)} {user} | {Bin}/postgres --single -D {pgdata} postgres >/dev/null
            fi
            """;
    }

    public override string ServerCommand(AddonContext context)
    {
        var plan = context.Plan;
        return $"exec {Bin}/postgres -D {Quote(Path.Combine(context.DataDirectory, "pgdata"))} -c listen_addresses=127.0.0.1 -c port={Text(context.Port)}"
            + $" -c unix_socket_directories=/tmp -c hba_file={Quote(Path.Combine(context.ConfigDirectory, "pg_hba.conf"))}"
            + $" -c max_connections={Text(plan.MaxConnections)} -c shared_buffers={Text(Math.Max(16, plan.MemoryMiB / 8))}MB"
            + " -c password_encryption=scram-sha-256 -c dynamic_shared_memory_type=mmap -c logging_collector=off";
    }

    /// <summary>pg_isready exits 0 only once the server accepts sessions (1 while it starts up or recovers).</summary>
    public override async Task<bool> AnswersAsync(string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            await AddonTool.RunAsync(Bin + "/pg_isready", ["-h", host, "-p", Text(port), "-t", "5"], new Dictionary<string, string>(), null, null, cancellationToken);
            return true;
        }
        catch (Core.Errors.NuageException)
        {
            return false;
        }
    }

    /// <summary>
    /// PostgreSQL has one password per role, so a rotation adds a login role: a member of the cluster's owner (the
    /// bootstrap superuser, oid 10, which owns the database and every object) whose sessions start as that owner
    /// (ALTER ROLE … SET role), so tables it creates are owned as before and the next login role reads them.
    /// </summary>
    public override async Task<string> AddCredentialAsync(AddonRecord addon, string host, int port, string password, string newPassword, CancellationToken cancellationToken)
    {
        var user = NewUser();
        await PsqlAsync(addon, host, port, password, $"""
            DO $$ DECLARE owner text := (SELECT rolname FROM pg_roles WHERE oid = 10); BEGIN
              EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', '{user}', '{newPassword}', owner);
              EXECUTE format('ALTER ROLE %I SET role = %L', '{user}', owner);
            END $$
            """, cancellationToken);
        return user;
    }

    /// <summary>The old login role is dropped (the owner itself, the first one, only loses its login and password).</summary>
    public override Task RevokeCredentialAsync(AddonRecord addon, string host, int port, string password, string oldUser, string oldPassword, CancellationToken cancellationToken) =>
        PsqlAsync(addon, host, port, password, $"""
            DO $$ BEGIN
              IF (SELECT oid FROM pg_roles WHERE rolname = '{oldUser}') = 10 THEN ALTER ROLE "{oldUser}" NOLOGIN PASSWORD NULL;
              ELSE DROP ROLE IF EXISTS "{oldUser}";
              END IF;
            END $$
            """, cancellationToken);

    public override async Task<int?> ConnectionsAsync(AddonRecord addon, string host, int port, string password, CancellationToken cancellationToken)
    {
        var result = await AddonTool.RunCapturedAsync(Bin + "/psql", ["-h", host, "-p", Text(port), "-U", addon.Username, "-d", addon.Database, "-w", "-tAc",
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"], ClientEnvironment(password), null, null, cancellationToken);
        return result.ExitCode == 0 ? FirstNumber(result.Output) : null;
    }

    /// <summary>
    /// Over quota: the database's sessions default to read-only transactions (ALTER DATABASE … SET
    /// default_transaction_read_only) and the open ones are ended, so apps reconnect into read-only sessions. A session
    /// may still turn it off for itself (SET default_transaction_read_only = off) to delete data: a soft quota.
    /// </summary>
    public override async Task<bool> SetReadOnlyAsync(AddonRecord addon, string host, int port, string password, bool readOnly, CancellationToken cancellationToken)
    {
        if (readOnly)
        {
            await PsqlAsync(addon, host, port, password, $"ALTER DATABASE \"{addon.Database}\" SET default_transaction_read_only = on", cancellationToken);
            await PsqlAsync(addon, host, port, password,
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{addon.Database}' AND backend_type = 'client backend' AND pid <> pg_backend_pid()", cancellationToken);
        }
        else
        {
            await PsqlAsync(addon, host, port, password, $"ALTER DATABASE \"{addon.Database}\" RESET default_transaction_read_only", cancellationToken);
        }

        return true;
    }

    /// <summary>An administrative statement; its session is read-write even while the database is over quota (read-only by default).</summary>
    private static Task PsqlAsync(AddonRecord addon, string host, int port, string password, string sql, CancellationToken cancellationToken) =>
        AddonTool.RunAsync(Bin + "/psql", ["-h", host, "-p", Text(port), "-U", addon.Username, "-d", addon.Database, "-w", "-v", "ON_ERROR_STOP=1",
            "-c", sql], new Dictionary<string, string>(ClientEnvironment(password)) { ["PGOPTIONS"] = "-c default_transaction_read_only=off" }, null, null, cancellationToken);

    public override string BackupExtension => "pgdump";

    public override Task BackupAsync(AddonRecord addon, string host, int port, string password, string file, CancellationToken cancellationToken) =>
        AddonTool.RunAsync(Bin + "/pg_dump", ["-Fc", "-h", host, "-p", Text(port), "-U", addon.Username, "-d", addon.Database, "-f", file, "-w"],
            ClientEnvironment(password), null, null, cancellationToken);

    /// <summary>pg_restore --clean in one transaction: a failing restore leaves the database as it was.</summary>
    public override Task RestoreAsync(AddonRecord addon, string host, int port, string password, string file, CancellationToken cancellationToken) =>
        AddonTool.RunAsync(Bin + "/pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
            "-h", host, "-p", Text(port), "-U", addon.Username, "-d", addon.Database, "-w", file], ClientEnvironment(password), null, null, cancellationToken);

    private static Dictionary<string, string> ClientEnvironment(string password) => new() { ["PGPASSWORD"] = password, ["PGCONNECT_TIMEOUT"] = "10" };

    public override IReadOnlyDictionary<string, string> LinkVariables(AddonRecord addon, string host, int port, string password)
    {
        var uri = $"postgresql://{addon.Username}:{Uri.EscapeDataString(password)}@{host}:{Text(port)}/{addon.Database}";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["POSTGRESQL_ADDON_HOST"] = host,
            ["POSTGRESQL_ADDON_PORT"] = Text(port),
            ["POSTGRESQL_ADDON_DB"] = addon.Database,
            ["POSTGRESQL_ADDON_USER"] = addon.Username,
            ["POSTGRESQL_ADDON_PASSWORD"] = password,
            ["POSTGRESQL_ADDON_URI"] = uri,
            ["POSTGRESQL_ADDON_VERSION"] = addon.Version,
            ["DATABASE_URL"] = uri,
        };
    }
}
