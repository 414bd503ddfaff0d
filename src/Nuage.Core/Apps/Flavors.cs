namespace Nuage.Core.Apps;

/// <summary>A size of instance: memory limit, CPU share (in thousandths of a core) and process cap.</summary>
public sealed record Flavor(string Name, int MemoryMiB, int MilliCpu, int MaxProcesses);

/// <summary>The sizes users pick from, named as on Clever Cloud so migrated settings keep their meaning.</summary>
public static class Flavors
{
    public const string Default = "nano";

    public static IReadOnlyList<Flavor> All { get; } =
    [
        new("pico", 256, 250, 64),
        new("nano", 512, 500, 128),
        new("XS", 1024, 1000, 256),
        new("S", 2048, 2000, 512),
        new("M", 4096, 4000, 1024),
        new("L", 8192, 6000, 2048),
        new("XL", 16384, 8000, 4096),
    ];

    public static Flavor? Find(string? name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string Accepted => string.Join(", ", All.Select(f => f.Name));
}
