using Nuage.Core.Apps;

namespace Nuage.Runtime.Cgroups;

/// <summary>A flavor translated into cgroup values; one place so v1 and v2 agree.</summary>
internal sealed record CgroupLimits(long MemoryBytes, long CpuQuotaMicros, long CpuPeriodMicros, long CpuShares, long CpuWeight, long PidsMax)
{
    public const long PeriodMicros = 100_000;

    /// <summary>The wrapper and the sandbox's two bwrap processes live in the cgroup too.</summary>
    public const int SandboxOverheadProcesses = 3;

    public static CgroupLimits From(Flavor flavor) => new(
        MemoryBytes: flavor.MemoryMiB * 1024L * 1024L,
        CpuQuotaMicros: Math.Max(1000, flavor.MilliCpu * PeriodMicros / 1000),
        CpuPeriodMicros: PeriodMicros,
        CpuShares: Math.Max(2, flavor.MilliCpu * 1024L / 1000),
        CpuWeight: Math.Clamp(flavor.MilliCpu / 10L, 1, 10_000),
        PidsMax: flavor.MaxProcesses + SandboxOverheadProcesses);
}
