using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Core.Logging;
using Nuage.Core.Scheduling;
using Nuage.Runtime.Networking;
using Nuage.Runtime.Sandboxing;

namespace Nuage.Runtime.Scheduling;

/// <summary>
/// Runs instances as local processes, sandboxed (bubblewrap, per-app uid, cgroup limits) and supervised
/// (restart with back-off, crash-loop detection, graceful stop). Instances outlive the scheduler: disposing it
/// only stops supervising; a new scheduler re-attaches with <see cref="AdoptAsync"/>.
/// </summary>
public sealed partial class LocalScheduler : IInstanceScheduler
{
    private readonly ConcurrentDictionary<string, SupervisedInstance> _instances = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, byte> _reservedPorts = new();
    private readonly LocalSchedulerOptions _options;
    private readonly SandboxCapabilities _capabilities;
    private readonly InstanceLauncher _launcher;
    private readonly ILogSink _logSink;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly InstanceNetworks? _networks;
    private readonly string? _networkProblem;

    private LocalScheduler(LocalSchedulerOptions options, SandboxCapabilities capabilities, (InstanceNetworks? Networks, string? Problem) network, ILogSink logSink, ILogger logger, TimeProvider time)
    {
        _options = options;
        _capabilities = capabilities;
        _networks = network.Networks;
        _networkProblem = network.Problem;
        _logSink = logSink;
        _logger = logger;
        _time = time;
        _launcher = new InstanceLauncher(options, capabilities, network.Networks, time);
    }

    /// <summary>Every instance event (started, crashed, restarted, OOM-killed, crash-looping, exited, stopped), with the new state to persist.</summary>
    public event EventHandler<InstanceEvent>? InstanceChanged;

    /// <summary>True when instances run under bubblewrap (and cgroups); false in InsecureNoSandbox mode.</summary>
    public bool IsSandboxed => _launcher.Sandboxed;

    /// <summary>"v1", "v2", or null when no cgroup hierarchy is usable (no limits, no usage metrics).</summary>
    public string? CgroupVersion => _capabilities.Cgroups?.Version;

    /// <summary>True when each app runs as its own uid (server is root and sandboxed): specs must carry a Uid.</summary>
    public bool RequiresUid => _launcher.Sandboxed && _capabilities.IsRoot;

    /// <summary>
    /// Probes the machine (bubblewrap, cgroups, root, network namespaces and nftables) and creates the scheduler, with
    /// its firewall table when instances get networks of their own. Never throws for a missing sandbox or network: it
    /// logs and refuses starts instead (see <see cref="NetworkProblem"/>). Removes plaintext launch files of older versions.
    /// </summary>
    public static async Task<LocalScheduler> CreateAsync(
        LocalSchedulerOptions options,
        ILogSink logSink,
        ILogger<LocalScheduler>? logger = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logSink);
        NuageException.ThrowIfInvalid(ErrorCodes.InvalidSchedulerOptions, options.Validate());
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The local scheduler runs on Linux only.");
        }

        Directory.CreateDirectory(options.RunDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        InstanceLauncher.RemovePlaintextLaunchFiles(options.RunDirectory);
        var capabilities = await SandboxProbe.ProbeAsync(options, cancellationToken).ConfigureAwait(false);
        var network = options.InsecureNoSandbox || options.InsecureHostNetwork
            ? (null, null)
            : await InstanceNetworks.SetUpAsync(options, capabilities.IsRoot, cancellationToken).ConfigureAwait(false);
        var scheduler = new LocalScheduler(options, capabilities, network, logSink, logger ?? (ILogger)NullLogger.Instance, time ?? TimeProvider.System);
        scheduler.LogCapabilities();
        return scheduler;
    }

    /// <summary>A free loopback port for a new web instance, never one held by a live instance or handed out before and not yet released.</summary>
    public int AllocatePort()
    {
        var taken = _instances.Values.Where(i => !IsFinal(i.State.Status) && i.State.Port is not null).Select(i => i.State.Port!.Value)
            .Concat(_reservedPorts.Keys).ToHashSet();
        var port = PortAllocator.Allocate(taken);
        _reservedPorts[port] = 0;
        return port;
    }

    /// <summary>Gives back a port from <see cref="AllocatePort"/> that will not be used (a stopped instance's port is released automatically).</summary>
    public void ReleasePort(int port) => _reservedPorts.TryRemove(port, out _);

    /// <summary>
    /// Starts an instance and supervises it. Returns once the process runs (after its pre-run hook, if any).
    /// Throws NuageException: invalid_instance_spec, sandbox_unavailable, instance_exists, pre_run_hook_failed.
    /// </summary>
    public async Task<InstanceState> StartAsync(InstanceSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        EnsureSandbox();
        InstanceSpecValidator.Validate(spec, RequiresUid, IsolatesNetwork);
        if (_instances.TryGetValue(spec.InstanceId, out var existing) && !IsFinal(existing.State.Status))
        {
            throw NuageException.Conflict(ErrorCodes.InstanceExists, $"Instance '{spec.InstanceId}' is already {existing.State.Status}; stop it first.");
        }

        if (_launcher.UidFor(spec) is { } uid)
        {
            await AppFilePermissions.ApplyAsync(spec.ReleaseDirectory, spec.DataDirectory, uid, cancellationToken).ConfigureAwait(false);
        }

        await PrepareNetworkAsync(spec, cancellationToken).ConfigureAwait(false);
        InstanceState state;
        try
        {
            state = await _launcher.LaunchAsync(spec, 0, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RemoveNetworkAsync(spec).ConfigureAwait(false);
            throw;
        }

        var instance = new SupervisedInstance(spec, state, NewTracker());
        if (_instances.TryGetValue(spec.InstanceId, out var previous))
        {
            previous.Dispose();
        }

        _instances[spec.InstanceId] = instance;
        if (state.Status == InstanceStatus.Running)
        {
            instance.Started.TrySetResult(state);
            Emit(InstanceEventKind.Started, state, $"{spec.Kind} instance started (pid {state.Pid}).");
        }

        instance.Loop = Task.Run(() => SuperviseAsync(instance), CancellationToken.None);
        var started = await instance.Started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (instance.HookFailed)
        {
            throw new NuageException(
                ErrorKind.Failed,
                ErrorCodes.PreRunHookFailed,
                $"The pre-run hook of instance '{spec.InstanceId}' failed with exit code {started.ExitCode}; its output is in {spec.StderrPath}.");
        }

        return started;
    }

    /// <summary>The current state of one instance, or null when unknown to this scheduler.</summary>
    public InstanceState? Get(string instanceId) => _instances.TryGetValue(instanceId, out var i) ? i.State : null;

    /// <summary>Every instance this scheduler knows (live and finished), optionally of one app.</summary>
    public IReadOnlyList<InstanceState> List(string? appId = null) =>
        _instances.Values.Select(i => i.State).Where(s => appId is null || s.AppId == appId).OrderBy(s => s.InstanceId, StringComparer.Ordinal).ToList();

    /// <summary>Waits until the instance is finished (Exited, OomKilled, CrashLooping or Stopped) — e.g. a Task's exit code.</summary>
    public Task<InstanceState> WaitForExitAsync(string instanceId, CancellationToken cancellationToken = default) =>
        Find(instanceId).Finished.Task.WaitAsync(cancellationToken);

    /// <summary>CPU seconds and memory of a live instance from its cgroup; null without cgroups or when it is not running.</summary>
    public InstanceUsage? GetUsage(string instanceId) =>
        _instances.TryGetValue(instanceId, out var i) ? _capabilities.Cgroups?.ReadUsage(i.Spec.AppId, i.Spec.InstanceId) : null;

    /// <summary>Forgets a finished instance (its state stays wherever the caller persisted it).</summary>
    public bool Remove(string instanceId)
    {
        if (_instances.TryGetValue(instanceId, out var i) && IsFinal(i.State.Status) && _instances.TryRemove(instanceId, out _))
        {
            i.Dispose();
            return true;
        }

        return false;
    }

    /// <summary>Stops supervising and leaves every instance running, as a server restart or crash would. Adopt them again with a new scheduler.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances.Values)
        {
            await instance.Lifetime.CancelAsync().ConfigureAwait(false);
        }

        foreach (var instance in _instances.Values)
        {
            await instance.Loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            instance.Dispose();
        }

        _instances.Clear();
    }

    internal static bool IsFinal(InstanceStatus status) =>
        status is InstanceStatus.Exited or InstanceStatus.OomKilled or InstanceStatus.CrashLooping or InstanceStatus.Stopped;

    private SupervisedInstance Find(string instanceId) =>
        _instances.TryGetValue(instanceId, out var instance)
            ? instance
            : throw NuageException.NotFound(ErrorCodes.InstanceNotFound, $"No instance '{instanceId}' is known to this scheduler.");

    private RestartTracker NewTracker() =>
        new(_options.CrashLoopThreshold, _options.CrashLoopWindow, _options.StableAfter, _options.MaxRestartDelay);

    private void EnsureSandbox()
    {
        if (_launcher.Sandboxed && !_capabilities.CanSandbox)
        {
            throw new NuageException(
                ErrorKind.Failed,
                ErrorCodes.SandboxUnavailable,
                $"Refusing to start an app without its sandbox: {_capabilities.Missing} Fix this, or start the server with --insecure-no-sandbox to run apps without isolation.");
        }

        if (IsolatesNetwork)
        {
            _ = RequireNetworks();
        }
    }

    private void LogCapabilities()
    {
        var cgroup = CgroupVersion ?? "none";
        if (!_launcher.Sandboxed)
        {
            LogInsecure(cgroup, _capabilities.Missing);
        }
        else if (!_capabilities.CanSandbox)
        {
            LogSandboxUnavailable(_capabilities.Missing);
        }
        else
        {
            LogSandboxReady(_capabilities.BwrapPath!, cgroup, RequiresUid);
        }

        if (_launcher.Sandboxed && _options.InsecureHostNetwork)
        {
            LogHostNetwork();
        }
        else if (_networks is { } networks)
        {
            LogNetworkIsolated(networks.Pool.Cidr, networks.Table);
        }
        else if (NetworkProblem is { } problem)
        {
            LogNetworkUnavailable(problem);
        }
    }

    private void Emit(InstanceEventKind kind, InstanceState state, string message)
    {
        var now = _time.GetUtcNow();
        LogInstanceEvent(state.InstanceId, state.AppId, kind, state.Pid, message);
        _logSink.Write(new LogRecord(now, state.AppId, LogSource.Platform, message, state.InstanceId, state.DeploymentId));
        try
        {
            InstanceChanged?.Invoke(this, new InstanceEvent(now, kind, state, message));
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop supervision.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogSubscriberFailed(e);
        }
    }
}
