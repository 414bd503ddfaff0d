namespace Nuage.Core.Addons;

/// <summary>A size of add-on, shaped like an app flavor: memory limit, CPU share (thousandths of a core), disk quota and connections.</summary>
public sealed record AddonPlan(string Name, int MemoryMiB, int MilliCpu, int DiskMiB, int MaxConnections)
{
    /// <summary>The processes a database server may have: one per connection plus its own background workers.</summary>
    public int MaxProcesses => MaxConnections + 64;
}

/// <summary>The sizes users pick from with <c>--plan</c>; the smallest is the default.</summary>
public static class AddonPlans
{
    public const string Default = "xs";

    public static IReadOnlyList<AddonPlan> All { get; } =
    [
        new("xs", 256, 250, 1024, 20),
        new("s", 512, 500, 4096, 50),
        new("m", 1024, 1000, 16384, 100),
        new("l", 2048, 2000, 65536, 200),
    ];

    public static AddonPlan? Find(string? name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string Accepted => string.Join(", ", All.Select(p => p.Name));
}
