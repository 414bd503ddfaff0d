using Nuage.Core.Apps;
using Nuage.Runtime.Cgroups;

namespace Nuage.Runtime.Tests.Cgroups;

public sealed class CgroupLimitsTests
{
    [Theory]
    [InlineData("pico", 268_435_456L, 25_000L, 256L, 25L, 67L)]
    [InlineData("XS", 1_073_741_824L, 100_000L, 1024L, 100L, 259L)]
    [InlineData("L", 8_589_934_592L, 600_000L, 6144L, 600L, 2051L)]
    public void From_Flavor_GivesMemoryCpuAndPidLimits(string flavor, long memory, long quota, long shares, long weight, long pids)
    {
        var limits = CgroupLimits.From(Flavors.Find(flavor)!);

        Assert.Equal(memory, limits.MemoryBytes);
        Assert.Equal(quota, limits.CpuQuotaMicros);
        Assert.Equal(100_000L, limits.CpuPeriodMicros);
        Assert.Equal(shares, limits.CpuShares);
        Assert.Equal(weight, limits.CpuWeight);
        Assert.Equal(pids, limits.PidsMax);
    }

    [Fact]
    public void Detect_ThisMachine_FindsAHierarchyWithMemoryCpuAndPids()
    {
        // The sandbox tests rely on it; a machine without cgroups must fail here loudly rather than skip.
        var driver = CgroupDetector.Detect("/sys/fs/cgroup", "nuage-detect");

        Assert.NotNull(driver);
    }
}
