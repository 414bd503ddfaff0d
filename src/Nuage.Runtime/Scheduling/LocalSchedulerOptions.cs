using Nuage.Core.Errors;

namespace Nuage.Runtime.Scheduling;

/// <summary>Host settings of the local process scheduler; every default is here.</summary>
public sealed class LocalSchedulerOptions
{
    /// <summary>Where the scheduler keeps per-instance run files (status, sandbox arguments); created 0700. Required.</summary>
    public string RunDirectory { get; set; } = string.Empty;

    /// <summary>Run apps without bubblewrap and without uid switching (the server's --insecure-no-sandbox). Cgroup limits still apply when available.</summary>
    public bool InsecureNoSandbox { get; set; }

    /// <summary>
    /// Run instances on the host's network (127.0.0.1 ports, every local service reachable) instead of a network
    /// namespace each (the server's --insecure-host-network). Implied by <see cref="InsecureNoSandbox"/>.
    /// </summary>
    public bool InsecureHostNetwork { get; set; }

    /// <summary>The private IPv4 range instance networks are carved from, one /31 per instance (the server's --network-pool).</summary>
    public string AddressPool { get; set; } = DefaultAddressPool;

    public static string DefaultAddressPool => Networking.AddressPool.Default;

    /// <summary>Machine-wide claims of instance addresses (one file per address), shared by every server on the machine.</summary>
    public string NetworkStateDirectory { get; set; } = "/run/nuage/addresses";

    /// <summary>nftables' command line tool (network isolation): a name looked up in PATH and /usr/sbin, or an absolute path.</summary>
    public string NftPath { get; set; } = "nft";

    /// <summary>bubblewrap: a name looked up in PATH or an absolute path.</summary>
    public string BwrapPath { get; set; } = "bwrap";

    /// <summary>Where cgroup hierarchies are mounted.</summary>
    public string CgroupRoot { get; set; } = "/sys/fs/cgroup";

    /// <summary>The platform's group under each hierarchy: &lt;root&gt;[/controller]/&lt;name&gt;/&lt;app&gt;/&lt;instance&gt;.</summary>
    public string CgroupName { get; set; } = "nuage";

    /// <summary>Extra host paths mounted read-only in every sandbox (e.g. a runtime installed under /opt).</summary>
    public IList<string> ExtraReadOnlyPaths { get; } = new List<string>();

    /// <summary>Limits of build steps and run-time hooks (<see cref="LocalScheduler.CreateBuildSandbox"/>).</summary>
    public Builds.BuildSandboxOptions Builds { get; set; } = new();

    /// <summary>Graceful stop: SIGTERM, then SIGKILL after this long (overridable per call).</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Back-off after consecutive crashes doubles from the spec's RestartDelay up to this.</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A process that ran this long before ending resets the back-off.</summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>This many restarts within <see cref="CrashLoopWindow"/> mark the instance CrashLooping and stop restarts.</summary>
    public int CrashLoopThreshold { get; set; } = 5;

    public TimeSpan CrashLoopWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often supervised processes are checked for exit (a read of /proc/&lt;pid&gt;/stat each).</summary>
    public TimeSpan ExitPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    internal void Validate()
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

        Builds.Validate(errors);
        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidSchedulerOptions, errors);
        }
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
