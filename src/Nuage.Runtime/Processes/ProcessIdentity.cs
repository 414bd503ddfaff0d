namespace Nuage.Runtime.Processes;

/// <summary>
/// A process named by pid and start time (ticks since boot, /proc/&lt;pid&gt;/stat), so a reused pid is never mistaken for it:
/// how the server re-adopts instances and the router process.
/// </summary>
public static class ProcessIdentity
{
    /// <summary>The start time of a live process, or null when it is gone (or a zombie).</summary>
    public static long? StartTicks(int pid) => pid > 0 && ProcStat.Read(pid) is { IsZombie: false } stat ? stat.StartTicks : null;

    /// <summary>True when <paramref name="pid"/> is alive and started at <paramref name="startTicks"/>.</summary>
    public static bool IsAlive(int pid, long startTicks) => ProcStat.IsAlive(pid, startTicks);

    /// <summary>SIGKILLs the process if it is still the one that started at <paramref name="startTicks"/>.</summary>
    public static bool Kill(int pid, long startTicks) => IsAlive(pid, startTicks) && Signals.Send(pid, Signals.SigKill);
}
