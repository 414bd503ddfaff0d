using System.Globalization;
using Nuage.Core.Apps;
using Nuage.Core.Instances;

namespace Nuage.Runtime.Cgroups;

/// <summary>Creates, limits, reads and removes one cgroup per instance under &lt;root&gt;/&lt;name&gt;/&lt;app&gt;/&lt;instance&gt;.</summary>
internal abstract class CgroupDriver
{
    protected CgroupDriver(string groupName) => GroupName = groupName;

    /// <summary>"v1" or "v2".</summary>
    public abstract string Version { get; }

    protected string GroupName { get; }

    /// <summary>Creates (or re-limits) the instance's cgroup and returns the cgroup.procs files a process must join.</summary>
    public abstract IReadOnlyList<string> Prepare(string appId, string instanceId, Flavor flavor);

    /// <summary>The kernel's count of OOM kills in the instance's cgroup; 0 when it does not exist.</summary>
    public abstract long ReadOomKills(string appId, string instanceId);

    public abstract InstanceUsage? ReadUsage(string appId, string instanceId);

    /// <summary>Every pid in the instance's cgroup (all controllers).</summary>
    public abstract IReadOnlyList<int> ReadPids(string appId, string instanceId);

    /// <summary>Removes the instance's cgroup (and the app's when empty). Best effort: a group with live processes stays.</summary>
    public abstract void Remove(string appId, string instanceId);

    protected string Relative(string appId, string instanceId) => Path.Combine(GroupName, appId, instanceId);

    protected static void Write(string file, string value) => File.WriteAllText(file, value);

    protected static void WriteIfExists(string file, string value)
    {
        if (File.Exists(file))
        {
            Write(file, value);
        }
    }

    protected static string? ReadText(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    protected static long ReadLong(string file) =>
        long.TryParse(ReadText(file)?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>Reads "key value" lines (memory.stat, memory.events, memory.oom_control, cpu.stat).</summary>
    protected static long ReadKey(string file, string key)
    {
        foreach (var line in (ReadText(file) ?? string.Empty).Split('\n'))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && parts[0] == key
                && long.TryParse(parts[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            {
                return v;
            }
        }

        return 0;
    }

    protected static IEnumerable<int> ReadProcs(string file) =>
        (ReadText(file) ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 0)
            .Where(p => p > 0);

    protected static void RemoveDirectory(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                // cgroup directories are removed with rmdir even though they list control files.
                Directory.Delete(dir, recursive: false);
            }
        }
        catch (IOException)
        {
            // Not empty (processes or child groups remain): leave it for the next stop.
        }
    }
}
