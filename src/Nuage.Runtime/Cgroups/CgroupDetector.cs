namespace Nuage.Runtime.Cgroups;

/// <summary>Finds which cgroup hierarchy this machine offers with the memory, cpu and pids controllers.</summary>
internal static class CgroupDetector
{
    /// <summary>v2 when the root is a unified hierarchy with the controllers; else v1 when each controller is mounted; else null.</summary>
    public static CgroupDriver? Detect(string root, string groupName)
    {
        if (CgroupV2Driver.IsAvailable(root))
        {
            return new CgroupV2Driver(root, groupName);
        }

        return CgroupV1Driver.IsAvailable(root) ? new CgroupV1Driver(root, groupName) : null;
    }
}
