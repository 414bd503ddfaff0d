using Nuage.Core.Instances;
using Nuage.Core.Sandboxing;

namespace Nuage.Core.Scheduling;

/// <summary>
/// What the platform needs from any place that runs an app's processes: start, stop and re-adopt supervised
/// instances, run build steps and hooks in the app's sandbox, and report state, usage and events. The server
/// depends only on this; <c>LocalScheduler</c> (sandboxed local processes) implements it today, a Kubernetes
/// scheduler would tomorrow. Failures are <c>NuageException</c>s with stable codes (see each member).
/// </summary>
public interface IInstanceScheduler : IAsyncDisposable
{
    /// <summary>Every instance event (started, crashed, restarted, OOM-killed, crash-looping, exited, stopped), with the new state to persist.</summary>
    event EventHandler<InstanceEvent>? InstanceChanged;

    /// <summary>True when each app must run as its own uid: specs and build sandboxes must then carry a Uid.</summary>
    bool RequiresUid { get; }

    /// <summary>A free port for a new web instance, reserved until it is used or given back with <see cref="ReleasePort"/>.</summary>
    int AllocatePort();

    /// <summary>Gives back a port from <see cref="AllocatePort"/> that will not be used.</summary>
    void ReleasePort(int port);

    /// <summary>
    /// The address of a new instance's own network (its <c>InstanceSpec.Address</c>), reserved until the instance
    /// finishes or it is given back with <see cref="ReleaseAddress"/>; null when instances share the host's network.
    /// </summary>
    string? AllocateAddress();

    /// <summary>Gives back an address from <see cref="AllocateAddress"/> that will not be used.</summary>
    void ReleaseAddress(string address);

    /// <summary>Where the router's connections to an instance at <paramref name="instanceAddress"/> come from, as the app sees them.</summary>
    string RouterAddressFor(string instanceAddress);

    /// <summary>
    /// Starts an instance and supervises it; returns once it runs (after its pre-run hook, if any).
    /// Throws: invalid_instance_spec, sandbox_unavailable, instance_exists, pre_run_hook_failed.
    /// </summary>
    Task<InstanceState> StartAsync(InstanceSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Stops an instance gracefully (SIGTERM, then SIGKILL after <paramref name="timeout"/>) and returns its final state.</summary>
    Task<InstanceState> StopAsync(string instanceId, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Resumes supervision of instances started by an earlier server process; reports the ones that are gone.</summary>
    Task<IReadOnlyList<AdoptionResult>> AdoptAsync(IEnumerable<AdoptedInstance> instances, CancellationToken cancellationToken = default);

    /// <summary>The current state of one instance, or null when unknown to this scheduler.</summary>
    InstanceState? Get(string instanceId);

    /// <summary>Every instance this scheduler knows (live and finished), optionally of one app.</summary>
    IReadOnlyList<InstanceState> List(string? appId = null);

    /// <summary>Waits until the instance is finished (e.g. a task's exit code). Throws instance_not_found.</summary>
    Task<InstanceState> WaitForExitAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>CPU and memory of a live instance; null when not measurable or not running.</summary>
    InstanceUsage? GetUsage(string instanceId);

    /// <summary>Forgets a finished instance; false when it is unknown or still live.</summary>
    bool Remove(string instanceId);

    /// <summary>
    /// The sandbox one build (or run-time hook) of an app runs its steps in, with the build limits.
    /// Throws: sandbox_unavailable, invalid_build_sandbox.
    /// </summary>
    IStepSandbox CreateBuildSandbox(BuildSandboxSpec spec);

    /// <summary>
    /// Replaces the whole set of instance-to-instance connections let through network isolation (apps to the add-ons
    /// they are linked to). Without isolation instances share the host's loopback and this does nothing.
    /// </summary>
    Task AllowFlowsAsync(IReadOnlyCollection<InstanceFlow> flows, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
