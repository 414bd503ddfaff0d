namespace Nuage.Core.Instances;

/// <summary>Where an instance is in its life. Persisted by name: do not rename members.</summary>
public enum InstanceStatus
{
    /// <summary>Spawned (pre-run hook running, if any); not yet known to be running.</summary>
    Starting,

    /// <summary>The process is alive.</summary>
    Running,

    /// <summary>The process ended abnormally; the supervisor restarts it after a back-off delay.</summary>
    Crashed,

    /// <summary>Too many crashes within the crash-loop window: the supervisor gave up restarting.</summary>
    CrashLooping,

    /// <summary>Stopped on request (SIGTERM, then SIGKILL after the timeout).</summary>
    Stopped,

    /// <summary>The process ended and will not be restarted; see <see cref="InstanceState.ExitCode"/>.</summary>
    Exited,

    /// <summary>The kernel killed the process for exceeding the flavor's memory limit.</summary>
    OomKilled,
}
