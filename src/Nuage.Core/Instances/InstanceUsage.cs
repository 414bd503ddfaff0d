namespace Nuage.Core.Instances;

/// <summary>Resource use of one instance read from its cgroup (for /metrics and <c>nuage ps</c>).</summary>
/// <param name="CpuSeconds">CPU time consumed by every process of the instance since its cgroup was created.</param>
/// <param name="MemoryBytes">Memory in use, without reclaimable page cache.</param>
/// <param name="MemoryLimitBytes">The flavor's limit as applied.</param>
public sealed record InstanceUsage(double CpuSeconds, long MemoryBytes, long MemoryLimitBytes);
