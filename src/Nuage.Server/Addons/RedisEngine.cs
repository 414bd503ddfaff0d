using Nuage.Core.Addons;
using Nuage.Core.State;

namespace Nuage.Server.Addons;

/// <summary>
/// Redis 7 from Debian: the config Nuage writes sets the port, maxmemory and maxclients from the plan and append-only
/// persistence in the data folder; the password (requirepass) is written at each start from the sandbox environment
/// into a 0600 file of the data folder, so it never sits in the root-owned config or on a command line.
/// </summary>
internal sealed class RedisEngine : AddonEngine
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

    public override string ServerCommand(AddonContext context) =>
        $"exec redis-server {Quote(Path.Combine(context.ConfigDirectory, "redis.conf"))}";

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
