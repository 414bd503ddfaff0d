using Nuage.Core.Errors;

namespace Nuage.Runtime.Scheduling;

/// <summary>Host settings of the local process scheduler; every default is here.</summary>
public sealed record LocalSchedulerOptions
{
    /// <summary>Where the scheduler keeps per-instance run files (status, sandbox arguments); created 0700. Required.</summary>
    public string RunDirectory { get; init; } = string.Empty;

    /// <summary>Run apps without bubblewrap and without uid switching (the server's --insecure-no-sandbox). Cgroup limits still apply when available.</summary>
    public bool InsecureNoSandbox { get; init; }

    /// <summary>
    /// Run instances on the host's network (127.0.0.1 ports, every local service reachable) instead of a network
    /// namespace each (the server's --insecure-host-network). Implied by <see cref="InsecureNoSandbox"/>.
    /// </summary>
    public bool InsecureHostNetwork { get; init; }

    /// <summary>The private IPv4 range instance networks are carved from, one /31 per instance (the server's --network-pool).</summary>
    public string AddressPool { get; init; } = DefaultAddressPool;

    public static string DefaultAddressPool => Networking.AddressPool.Default;

    /// <summary>Machine-wide claims of instance addresses (one file per address), shared by every server on the machine.</summary>
    public string NetworkStateDirectory { get; init; } = "/run/nuage/addresses";

    /// <summary>nftables' command line tool (network isolation): a name looked up in PATH and /usr/sbin, or an absolute path.</summary>
    public string NftPath { get; init; } = "nft";

    /// <summary>bubblewrap: a name looked up in PATH or an absolute path.</summary>
    public string BwrapPath { get; init; } = "bwrap";

    /// <summary>Where cgroup hierarchies are mounted.</summary>
    public string CgroupRoot { get; init; } = "/sys/fs/cgroup";

    /// <summary>The platform's group under each hierarchy: &lt;root&gt;[/controller]/&lt;name&gt;/&lt;app&gt;/&lt;instance&gt;.</summary>
    public string CgroupName { get; init; } = "nuage";

    /// <summary>Extra host paths mounted read-only in every sandbox (e.g. a runtime installed under /opt).</summary>
    public IReadOnlyList<string> ExtraReadOnlyPaths { get; init; } = [];

    /// <summary>Limits of build steps and run-time hooks (<see cref="LocalScheduler.CreateBuildSandbox"/>).</summary>
    public Builds.BuildSandboxOptions Builds { get; init; } = new();

    /// <summary>Graceful stop: SIGTERM, then SIGKILL after this long (overridable per call).</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Back-off after consecutive crashes doubles from the spec's RestartDelay up to this.</summary>
    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A process that ran this long before ending resets the back-off.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>This many restarts within <see cref="CrashLoopWindow"/> mark the instance CrashLooping and stop restarts.</summary>
    public int CrashLoopThreshold { get; init; } = 5;

    public TimeSpan CrashLoopWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often supervised processes are checked for exit (a read of /proc/&lt;pid&gt;/stat each).</summary>
    public TimeSpan ExitPollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>One error per bad option; settings users set through <c>nuage server</c> are checked there first, under their flags.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(RunDirectory) || !Path.IsPathFullyQualified(RunDirectory))
        {
            errors.Add(new FieldError(nameof(RunDirectory), RunDirectory, "must be an absolute directory, e.g. <data>/run/instances."));
        }

        if (string.IsNullOrWhiteSpace(CgroupName) || CgroupName.Contains('/', StringComparison.Ordinal) || CgroupName.StartsWith('.'))
        {
            errors.Add(new FieldError(nameof(CgroupName), CgroupName, "must be a single directory name such as 'nuage'."));
        }

        if (Networking.AddressPool.TryParse(AddressPool, out var poolError) is null)
        {
            errors.Add(new FieldError(nameof(AddressPool), AddressPool, poolError!));
        }

        if (string.IsNullOrWhiteSpace(NetworkStateDirectory) || !Path.IsPathFullyQualified(NetworkStateDirectory))
        {
            errors.Add(new FieldError(nameof(NetworkStateDirectory), NetworkStateDirectory, "must be an absolute directory, e.g. /run/nuage/addresses."));
        }

        Positive(errors, nameof(StopTimeout), StopTimeout);
        Positive(errors, nameof(MaxRestartDelay), MaxRestartDelay);
        Positive(errors, nameof(CrashLoopWindow), CrashLoopWindow);
        Positive(errors, nameof(ExitPollInterval), ExitPollInterval);
        if (CrashLoopThreshold < 1)
        {
            errors.Add(new FieldError(nameof(CrashLoopThreshold), CrashLoopThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be at least 1."));
        }

        errors.AddRange(Builds.Validate());
        return errors;
    }

    /// <summary>Null when <paramref name="pool"/> is a usable address pool; otherwise what is wrong and what is accepted.</summary>
    public static string? CheckAddressPool(string pool)
    {
        Networking.AddressPool.TryParse(pool, out var error);
        return error;
    }

    private static void Positive(List<FieldError> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(new FieldError(name, value.ToString(), "must be a positive duration."));
        }
    }
}
