namespace Nuage.Core.Instances;

/// <summary>
/// A snapshot of one instance, replaced whole on every change. Serialisable: the caller persists it
/// (on every <see cref="InstanceEvent"/>) and hands it back to <c>AdoptAsync</c> after a server restart.
/// </summary>
/// <param name="Pid">The supervised process (the sandbox wrapper, leader of its own session); 0 when none.</param>
/// <param name="StartTicks">Field 22 of /proc/&lt;pid&gt;/stat: tells a live instance from a reused pid.</param>
/// <param name="OomKillsAtStart">The cgroup's oom_kill counter when the process started, to detect a new OOM kill.</param>
public sealed record InstanceState(
    string InstanceId,
    string AppId,
    string DeploymentId,
    InstanceKind Kind,
    int Pid,
    long StartTicks,
    int? Port,
    InstanceStatus Status,
    int? ExitCode,
    int Restarts,
    DateTimeOffset StartedAt,
    long OomKillsAtStart = 0)
{
    /// <summary>True while a process is (believed to be) alive.</summary>
    public bool IsLive => Status is InstanceStatus.Starting or InstanceStatus.Running;
}
