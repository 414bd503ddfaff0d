using Nuage.Core.Addons;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

/// <summary>
/// Redis 7 from Debian: the config Nuage writes sets the port, maxmemory and maxclients from the plan and append-only
/// persistence in the data folder; the password (requirepass) is written at each start from the sandbox environment
/// into a 0600 file of the data folder, so it never sits in the root-owned config or on a command line.
/// </summary>
internal sealed partial class RedisEngine : AddonEngine
{
    public override AddonType Type { get; } = AddonTypes.Find(AddonTypes.Redis)!;

    public override void WriteConfig(AddonContext context) =>
        Write(context.ConfigDirectory, "redis.conf", $"""
            # Written by Nuage.
            bind 127.0.0.1
            port {Text(context.Port)}
            protected-mode no
            daemonize no
            dir {context.DataDirectory}
            dbfilename dump.rdb
            appendonly yes
            appendfsync everysec
            maxmemory {Text(Math.Max(16, context.Plan.MemoryMiB * 3 / 4))}mb
            maxmemory-policy noeviction
            maxclients {Text(context.Plan.MaxConnections)}
            logfile ""
            include {Path.Combine(context.DataDirectory, "auth.conf")}

            """);

    public override string InitCommand(AddonContext context) =>
        $"umask 077; printf 'requirepass \"%s\"\\n' \"${PasswordVariable}\" > {Quote(Path.Combine(context.DataDirectory, "auth.conf"))}";

    /// <summary>The marker a restore leaves in the data folder: the next start loads dump.rdb with append-only off.</summary>
    public const string RestoreMarker = "restore-pending";

    /// <summary>
    /// Redis ignores dump.rdb when append-only is on and no append-only file exists (it starts empty), so the start
    /// after a restore runs with it off; <see cref="ResumeAppendOnlyAsync"/> then turns it back on, which writes the
    /// append-only file from the restored data.
    /// </summary>
    public override string ServerCommand(AddonContext context)
    {
        var conf = Quote(Path.Combine(context.ConfigDirectory, "redis.conf"));
        var marker = Quote(Path.Combine(context.DataDirectory, RestoreMarker));
        return $"if [ -f {marker} ]; then rm -f {marker}; exec redis-server {conf} --appendonly no; fi; exec redis-server {conf}";
    }

    public static Task ResumeAppendOnlyAsync(string host, int port, string password, CancellationToken cancellationToken) =>
        AddonTool.RunAsync("/usr/bin/redis-cli", ["-h", host, "-p", Text(port), "--no-auth-warning", "CONFIG", "SET", "appendonly", "yes"],
            new Dictionary<string, string> { ["REDISCLI_AUTH"] = password }, null, null, cancellationToken);

    /// <summary>
    /// The default user gets a second password (ACL SETUSER default &gt;new): both open connections until the old one
    /// is removed. The next start writes auth.conf from the (updated) sandbox environment, with the new one only.
    /// </summary>
    public override async Task<string> AddCredentialAsync(AddonRecord addon, string host, int port, string password, string newPassword, CancellationToken cancellationToken)
    {
        await AclAsync(host, port, password, ">" + newPassword, cancellationToken);
        return addon.Username;
    }

    /// <summary>ACL SETUSER default &lt;old: removes the old password; open connections stay authenticated.</summary>
    public override Task RevokeCredentialAsync(AddonRecord addon, string host, int port, string password, string oldUser, string oldPassword, CancellationToken cancellationToken) =>
        AclAsync(host, port, password, "<" + oldPassword, cancellationToken);

    public override async Task<int?> ConnectionsAsync(AddonRecord addon, string host, int port, string password, CancellationToken cancellationToken)
    {
        var result = await AddonTool.RunCapturedAsync("/usr/bin/redis-cli", ["-h", host, "-p", Text(port), "--no-auth-warning", "INFO", "clients"],
            new Dictionary<string, string> { ["REDISCLI_AUTH"] = password }, null, null, cancellationToken);
        var line = result.Output.Split('\n').FirstOrDefault(l => l.StartsWith("connected_clients:", StringComparison.Ordinal));
        return result.ExitCode == 0 && line is not null && FirstNumber(line) is { } count ? Math.Max(0, count - 1) : null;
    }

    private static Task AclAsync(string host, int port, string password, string rule, CancellationToken cancellationToken) =>
        AddonTool.RunAsync("/usr/bin/redis-cli", ["-h", host, "-p", Text(port), "--no-auth-warning", "ACL", "SETUSER", "default", rule],
            new Dictionary<string, string> { ["REDISCLI_AUTH"] = password }, null, null, cancellationToken);

    public override string BackupExtension => "rdb";

    /// <summary>redis-cli --rdb: the server makes a fresh RDB snapshot and streams it.</summary>
    public override Task BackupAsync(AddonRecord addon, string host, int port, string password, string file, CancellationToken cancellationToken) =>
        AddonTool.RunAsync("/usr/bin/redis-cli", ["-h", host, "-p", Text(port), "--no-auth-warning", "--rdb", file],
            new Dictionary<string, string> { ["REDISCLI_AUTH"] = password }, null, null, cancellationToken);

    /// <summary>Redis cannot load an RDB over the network: restores are done by AddonService with the server stopped.</summary>
    public override Task RestoreAsync(AddonRecord addon, string host, int port, string password, string file, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Redis restores replace the data files while the server is stopped.");

    /// <summary>Replaces the data folder's snapshot with the backup (server stopped): append-only files are removed so Redis loads the RDB.</summary>
    public static void ReplaceData(string dataDirectory, string file)
    {
        var aof = Path.Combine(dataDirectory, "appendonlydir");
        if (Directory.Exists(aof))
        {
            Directory.Delete(aof, recursive: true);
        }

        File.Copy(file, Path.Combine(dataDirectory, "dump.rdb"), overwrite: true);
        File.WriteAllText(Path.Combine(dataDirectory, RestoreMarker), string.Empty);
    }

    public override IReadOnlyDictionary<string, string> LinkVariables(AddonRecord addon, string host, int port, string password)
    {
        var url = $"redis://:{Uri.EscapeDataString(password)}@{host}:{Text(port)}";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["REDIS_HOST"] = host,
            ["REDIS_PORT"] = Text(port),
            ["REDIS_PASSWORD"] = password,
            ["REDIS_URL"] = url,
            ["REDIS_VERSION"] = addon.Version,
        };
    }
}
