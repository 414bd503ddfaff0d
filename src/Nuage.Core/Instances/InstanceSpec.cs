using Nuage.Core.Apps;

namespace Nuage.Core.Instances;

/// <summary>
/// Everything the scheduler needs to run one instance. The caller builds the complete environment
/// (PORT, INSTANCE_NUMBER, platform and app variables): the scheduler adds nothing to it.
/// </summary>
public sealed record InstanceSpec
{
    public required string AppId { get; init; }

    public required string AppName { get; init; }

    public required string DeploymentId { get; init; }

    /// <summary>Unique across the platform; names the cgroup and the run files. Letters, digits, '-', '_' and '.'.</summary>
    public required string InstanceId { get; init; }

    public int InstanceNumber { get; init; }

    public InstanceKind Kind { get; init; } = InstanceKind.Web;

    /// <summary>The release directory, mounted read-only at the same path inside the sandbox.</summary>
    public required string ReleaseDirectory { get; init; }

    /// <summary>Where the command starts; the release directory or a folder inside it (APP_FOLDER). Defaults to the release.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The app's persistent directory, mounted read-write at the same path; survives deploys.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>A shell command, run with <c>bash -c</c> inside the sandbox.</summary>
    public required string Command { get; init; }

    /// <summary>Optional command run before <see cref="Command"/> in the same sandbox; a non-zero exit fails the start.</summary>
    public string? PreRunHook { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The loopback port a web instance listens on (also passed as PORT in the environment by the caller).</summary>
    public int? Port { get; init; }

    /// <summary>
    /// The instance's own IPv4 address in its network namespace (see <c>LocalScheduler.AllocateAddress</c>): the router
    /// connects to Address:Port. Null runs the instance on the host's network (127.0.0.1:Port), which the scheduler
    /// allows only when network isolation is off.
    /// </summary>
    public string? Address { get; init; }

    /// <summary>
    /// The <see cref="Address"/> stays claimed when the instance finishes, for an owner that starts the same spec again
    /// (an add-on server: linked apps hold its address) and gives it back with <c>ReleaseAddress</c> when it is done.
    /// Otherwise a finished instance's address is released, and another instance could take it in between.
    /// </summary>
    public bool KeepsAddress { get; init; }

    public required Flavor Flavor { get; init; }

    /// <summary>Appended to, never truncated (see NuagePaths.InstanceOutput).</summary>
    public required string StdoutPath { get; init; }

    public required string StderrPath { get; init; }

    public RestartPolicy RestartPolicy { get; init; } = RestartPolicy.Always;

    /// <summary>First back-off delay after a crash; doubles with each consecutive crash up to the scheduler's maximum.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The unprivileged uid (and gid) the app runs as when the scheduler says <c>RequiresUid</c> (the local scheduler
    /// running as root; see its <c>AppUserIds</c>).
    /// Required in that case; ignored otherwise.
    /// </summary>
    public int? Uid { get; init; }

    /// <summary>Where the command actually starts: <see cref="WorkingDirectory"/>, or the release when unset.</summary>
    public string EffectiveWorkingDirectory => WorkingDirectory ?? ReleaseDirectory;

    /// <summary>Tasks never restart, whatever their policy says.</summary>
    public RestartPolicy EffectiveRestartPolicy => Kind == InstanceKind.Task ? RestartPolicy.No : RestartPolicy;
}
