using System.Globalization;
using Nuage.Core.Apps;
using Nuage.Core.Instances;

namespace Nuage.Runtime.Cgroups;

/// <summary>Unified hierarchy: one tree; controllers enabled down the path through cgroup.subtree_control.</summary>
internal sealed class CgroupV2Driver : CgroupDriver
{
    private static readonly string[] Required = ["memory", "cpu", "pids"];
    private readonly string _root;

    public CgroupV2Driver(string root, string groupName)
        : base(groupName) => _root = root;

    public override string Version => "v2";

    public static bool IsAvailable(string root)
    {
        var controllers = ReadText(Path.Combine(root, "cgroup.controllers"));
        return controllers is not null
            && Required.All(c => controllers.Split(' ', '\n').Contains(c, StringComparer.Ordinal));
    }

    public override IReadOnlyList<string> Prepare(string appId, string instanceId, Flavor flavor)
    {
        var limits = CgroupLimits.From(flavor);

        // Enable the controllers for the children of every level above the instance (those levels hold no processes).
        var enable = string.Join(' ', Required.Select(c => "+" + c));
        var level = _root;
        foreach (var part in new[] { GroupName, appId })
        {
            Write(Path.Combine(level, "cgroup.subtree_control"), enable);
            level = Path.Combine(level, part);
            Directory.CreateDirectory(level);
        }

        Write(Path.Combine(level, "cgroup.subtree_control"), enable);
        var dir = Path.Combine(level, instanceId);
        Directory.CreateDirectory(dir);
        Write(Path.Combine(dir, "memory.max"), Invariant(limits.MemoryBytes));
        WriteIfExists(Path.Combine(dir, "memory.swap.max"), "0");
        Write(Path.Combine(dir, "cpu.max"), $"{Invariant(limits.CpuQuotaMicros)} {Invariant(limits.CpuPeriodMicros)}");
        Write(Path.Combine(dir, "cpu.weight"), Invariant(limits.CpuWeight));
        Write(Path.Combine(dir, "pids.max"), Invariant(limits.PidsMax));
        return [Path.Combine(dir, "cgroup.procs")];
    }

    public override long ReadOomKills(string appId, string instanceId) =>
        ReadKey(Path.Combine(Dir(appId, instanceId), "memory.events"), "oom_kill");

    public override InstanceUsage? ReadUsage(string appId, string instanceId)
    {
        var dir = Dir(appId, instanceId);
        if (!Directory.Exists(dir))
        {
            return null;
        }

        var used = ReadLong(Path.Combine(dir, "memory.current")) - ReadKey(Path.Combine(dir, "memory.stat"), "inactive_file");
        var limit = ReadLong(Path.Combine(dir, "memory.max"));
        return new InstanceUsage(ReadKey(Path.Combine(dir, "cpu.stat"), "usage_usec") / 1e6, Math.Max(0, used), limit);
    }

    public override IReadOnlyList<int> ReadPids(string appId, string instanceId) =>
        ReadProcs(Path.Combine(Dir(appId, instanceId), "cgroup.procs")).ToList();

    public override void Remove(string appId, string instanceId)
    {
        RemoveDirectory(Dir(appId, instanceId));
        RemoveDirectory(Path.Combine(_root, GroupName, appId));
    }

    private string Dir(string appId, string instanceId) => Path.Combine(_root, Relative(appId, instanceId));

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
