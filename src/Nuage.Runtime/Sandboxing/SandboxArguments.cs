using System.Globalization;
using Nuage.Core.Instances;

namespace Nuage.Runtime.Sandboxing;

/// <summary>
/// The bubblewrap options for one instance: a read-only view of the system, the release read-only and the data
/// directory read-write at their host paths, private /tmp, /proc and /dev, the network it is started in, and nothing else.
/// They reach bubblewrap over a pipe read with <c>bwrap --args</c>, so the app's environment never shows in a
/// command line and is never written to a file. The network is the one bwrap starts in: the instance's own network
/// namespace (entered with nsenter), or the host's with --insecure-host-network.
/// </summary>
internal static class SandboxArguments
{
    /// <summary>Top-level system directories; where the host has a symlink (merged /usr) the sandbox gets the same link.</summary>
    private static readonly string[] SystemDirectories = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <summary>
    /// The few files of /etc programs need for users, name resolution, TLS, time zones and the dynamic linker, plus
    /// /etc/php: the host's php.ini and conf.d, which load PHP's extensions (PHP-FPM and the CLI read them).
    /// </summary>
    private static readonly string[] EtcEntries =
    [
        "/etc/passwd", "/etc/group", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/etc/nsswitch.conf",
        "/etc/host.conf", "/etc/gai.conf", "/etc/services", "/etc/protocols", "/etc/localtime", "/etc/timezone",
        "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ssl", "/etc/ca-certificates",
        "/etc/alternatives", "/etc/mime.types", "/etc/os-release", "/etc/debian_version", "/etc/php",
    ];

    public static IReadOnlyList<string> Build(InstanceSpec spec, IReadOnlyList<string> extraReadOnlyPaths, int? uid) =>
        Build(new Mounts([spec.ReleaseDirectory], [spec.DataDirectory], spec.EffectiveWorkingDirectory), spec.Environment, extraReadOnlyPaths, uid);

    /// <summary>What a sandbox mounts from the host besides the system, and where it starts.</summary>
    internal sealed record Mounts(IReadOnlyList<string> ReadOnly, IReadOnlyList<string> ReadWrite, string WorkingDirectory);

    internal static IReadOnlyList<string> Build(Mounts mounts, IEnumerable<KeyValuePair<string, string>> environment, IReadOnlyList<string> extraReadOnlyPaths, int? uid)
    {
        var args = new List<string> { "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--proc", "/proc", "--dev", "/dev" };
        foreach (var tmp in new[] { "/tmp", "/var/tmp" })
        {
            // Private temp dirs the app's uid can write to (a bare tmpfs would be root's 0755).
            args.AddRange(["--perms", "1777", "--tmpfs", tmp]);
        }

        args.AddRange(["--tmpfs", "/run"]);

        foreach (var dir in SystemDirectories)
        {
            var info = new DirectoryInfo(dir);
            if (info.LinkTarget is { } target)
            {
                args.AddRange(["--symlink", target, dir]);
            }
            else if (info.Exists)
            {
                args.AddRange(["--ro-bind", dir, dir]);
            }
        }

        // bwrap would create the missing parents of a bind as 0700 root directories the app's uid cannot cross,
        // so create them first, world-traversable (/etc included, for the files bound below).
        args.AddRange(["--perms", "0755", "--dir", "/etc"]);
        foreach (var parent in Parents([.. mounts.ReadOnly, .. mounts.ReadWrite, .. extraReadOnlyPaths], ["/tmp", "/var/tmp", "/run", "/proc", "/dev"], SystemDirectories))
        {
            args.AddRange(["--perms", "0755", "--dir", parent]);
        }

        foreach (var entry in EtcEntries)
        {
            args.AddRange(["--ro-bind-try", entry, entry]);
        }

        foreach (var path in extraReadOnlyPaths)
        {
            args.AddRange(["--ro-bind-try", path, path]);
        }

        foreach (var path in mounts.ReadOnly)
        {
            args.AddRange(["--ro-bind", path, path]);
        }

        foreach (var path in mounts.ReadWrite)
        {
            args.AddRange(["--bind", path, path]);
        }

        args.AddRange(["--chdir", mounts.WorkingDirectory]);

        // Keep only what setpriv needs to switch to the app's uid; it then drops everything (bounding set included).
        args.AddRange(["--cap-drop", "ALL"]);
        if (uid is not null)
        {
            args.AddRange(["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"]);
        }

        args.Add("--clearenv");
        foreach (var (name, value) in environment)
        {
            args.AddRange(["--setenv", name, value]);
        }

        return args;
    }

    /// <summary>
    /// Every ancestor directory of <paramref name="paths"/> (shortest first), except /, the <paramref name="mountPoints"/>
    /// themselves (already there) and anything inside the read-only <paramref name="readOnlyTrees"/> (cannot be created).
    /// </summary>
    internal static IReadOnlyList<string> Parents(IEnumerable<string> paths, IReadOnlyList<string> mountPoints, IReadOnlyList<string> readOnlyTrees)
    {
        var parents = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            for (var dir = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(path)); dir is not null && dir != "/"; dir = Path.GetDirectoryName(dir))
            {
                if (!mountPoints.Contains(dir) && !readOnlyTrees.Any(m => dir == m || dir.StartsWith(m + "/", StringComparison.Ordinal)))
                {
                    parents.Add(dir);
                }
            }
        }

        return parents.OrderBy(p => p.Length).ThenBy(p => p, StringComparer.Ordinal).ToList();
    }

    /// <summary>The program run inside the sandbox in front of <c>bash -c COMMAND</c>.</summary>
    public static IReadOnlyList<string> CommandPrefix(string setprivPath, int? uid)
    {
        var prefix = new List<string>();
        if (uid is { } id)
        {
            var text = id.ToString(CultureInfo.InvariantCulture);
            prefix.AddRange([setprivPath, "--reuid", text, "--regid", text, "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]);
        }

        prefix.AddRange(["/bin/bash", "-c"]);
        return prefix;
    }

    /// <summary>The options NUL-separated, as <c>bwrap --args</c> reads them.</summary>
    public static byte[] Serialize(IReadOnlyList<string> args)
    {
        var bytes = new List<byte>();
        foreach (var arg in args)
        {
            if (arg.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("A sandbox argument (environment value?) contains a NUL character.", nameof(args));
            }

            bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(arg));
            bytes.Add(0);
        }

        return [.. bytes];
    }
}
