using Nuage.Core.Apps;
using Nuage.Core.Instances;

namespace Nuage.Runtime.Cgroups;

/// <summary>Legacy hierarchy: one mount per controller (memory, cpu, pids; cpuacct for CPU time).</summary>
internal sealed class CgroupV1Driver : CgroupDriver
{
    private readonly string _memory;
    private readonly string _cpu;
    private readonly string _pids;
    private readonly string? _cpuacct;

    public CgroupV1Driver(string root, string groupName)
        : base(groupName)
    {
        _memory = Path.Combine(root, "memory");
        _cpu = Path.Combine(root, "cpu");
        _pids = Path.Combine(root, "pids");
        var cpuacct = Path.Combine(root, "cpuacct");
        _cpuacct = File.Exists(Path.Combine(cpuacct, "cpuacct.usage")) ? cpuacct : null;
    }

    public override string Version => "v1";

    public static bool IsAvailable(string root) =>
        File.Exists(Path.Combine(root, "memory", "memory.limit_in_bytes"))
        && File.Exists(Path.Combine(root, "cpu", "cpu.cfs_quota_us"))
        && File.Exists(Path.Combine(root, "pids", "cgroup.procs"));

    private IEnumerable<string> Controllers => _cpuacct is null ? [_memory, _cpu, _pids] : [_memory, _cpu, _pids, _cpuacct];

    public override IReadOnlyList<string> Prepare(string appId, string instanceId, Flavor flavor)
    {
        var limits = CgroupLimits.From(flavor);
        var rel = Relative(appId, instanceId);
        foreach (var controller in Controllers)
        {
            Directory.CreateDirectory(Path.Combine(controller, rel));
        }

        var memory = Path.Combine(_memory, rel);
        var bytes = limits.MemoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Write(Path.Combine(memory, "memory.limit_in_bytes"), bytes);

        // With swap accounting, memory+swap must be capped too or the process swaps instead of being OOM-killed.
        WriteIfExists(Path.Combine(memory, "memory.memsw.limit_in_bytes"), bytes);

        var cpu = Path.Combine(_cpu, rel);
        Write(Path.Combine(cpu, "cpu.cfs_period_us"), Invariant(limits.CpuPeriodMicros));
        Write(Path.Combine(cpu, "cpu.cfs_quota_us"), Invariant(limits.CpuQuotaMicros));
        Write(Path.Combine(cpu, "cpu.shares"), Invariant(limits.CpuShares));
        Write(Path.Combine(_pids, rel, "pids.max"), Invariant(limits.PidsMax));
        return Controllers.Select(c => Path.Combine(c, rel, "cgroup.procs")).ToList();
    }

    public override long ReadOomKills(string appId, string instanceId) =>
        ReadKey(Path.Combine(_memory, Relative(appId, instanceId), "memory.oom_control"), "oom_kill");

    public override InstanceUsage? ReadUsage(string appId, string instanceId)
    {
        var memory = Path.Combine(_memory, Relative(appId, instanceId));
        if (!Directory.Exists(memory))
        {
            return null;
        }

        var used = ReadLong(Path.Combine(memory, "memory.usage_in_bytes"))
            - ReadKey(Path.Combine(memory, "memory.stat"), "total_inactive_file");
        var cpuNanos = _cpuacct is null ? 0 : ReadLong(Path.Combine(_cpuacct, Relative(appId, instanceId), "cpuacct.usage"));
        return new InstanceUsage(cpuNanos / 1e9, Math.Max(0, used), ReadLong(Path.Combine(memory, "memory.limit_in_bytes")));
    }

    public override IReadOnlyList<int> ReadPids(string appId, string instanceId) =>
        Controllers.SelectMany(c => ReadProcs(Path.Combine(c, Relative(appId, instanceId), "cgroup.procs"))).Distinct().ToList();

    public override void Remove(string appId, string instanceId)
    {
        foreach (var controller in Controllers)
        {
            RemoveDirectory(Path.Combine(controller, Relative(appId, instanceId)));
            RemoveDirectory(Path.Combine(controller, GroupName, appId));
        }
    }

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
