using System.Runtime.InteropServices;

namespace Nuage.Runtime.Processes;

/// <summary>kill(2), for signalling processes that are not our children (adopted instances, sandboxed descendants).</summary>
internal static partial class Signals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/>; returns false when the process no longer exists.</summary>
    public static bool Send(int pid, int signal) => pid > 0 && Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
