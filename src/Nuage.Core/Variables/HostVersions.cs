namespace Nuage.Core.Variables;

/// <summary>
/// The tool versions installed on this host, detected once at start (<see cref="DetectAsync"/>) and passed to the
/// validator; tests construct their own. Immutable.
/// </summary>
public sealed partial class HostVersions
{
    private readonly HostTool[] _tools;

    public HostVersions(IEnumerable<HostTool> tools)
    {
        _tools = [.. tools.DistinctBy(t => (t.Tool, t.Version)).OrderBy(t => t.Tool, StringComparer.Ordinal).ThenBy(t => t.Version, VersionComparer.Instance)];
    }

    /// <summary>No tool installed: every version variable is refused.</summary>
    public static HostVersions None { get; } = new([]);

    /// <summary>Convenience for tests and fixed setups: <c>HostVersions.Of(("php", ["8.2.7", "8.3.1"]))</c>.</summary>
    public static HostVersions Of(params (string Tool, string[] Versions)[] tools) =>
        new(tools.SelectMany(t => t.Versions.Select(v => new HostTool(t.Tool, v, t.Tool))));

    public IReadOnlyList<HostTool> Tools => _tools;

    /// <summary>Installed versions of <paramref name="tool"/>, lowest first.</summary>
    public IReadOnlyList<string> VersionsOf(string tool) =>
        [.. _tools.Where(t => t.Tool == tool).Select(t => t.Version)];

    /// <summary>Every text accepted for <paramref name="tool"/>: each version and each of its dot-separated prefixes.</summary>
    public IReadOnlyList<string> AcceptedTokens(string tool) =>
        [.. VersionsOf(tool).SelectMany(Prefixes).Distinct(StringComparer.Ordinal).Order(VersionComparer.Instance)];

    /// <summary>The highest installed version equal to <paramref name="requested"/> or starting with it followed by a dot.</summary>
    public string? Resolve(string tool, string requested) =>
        VersionsOf(tool).LastOrDefault(v => v == requested || v.StartsWith(requested + ".", StringComparison.Ordinal));

    /// <summary>The executable for a resolved version, or null when the tool is not installed.</summary>
    public string? ExecutableFor(string tool, string version) =>
        _tools.FirstOrDefault(t => t.Tool == tool && t.Version == version)?.Executable;

    private static IEnumerable<string> Prefixes(string version)
    {
        var core = version.Split('-', 2)[0];
        var parts = core.Split('.');
        for (var i = 1; i < parts.Length; i++)
        {
            yield return string.Join('.', parts[..i]);
        }

        yield return version;
    }

    /// <summary>Orders "3.9" before "3.12": numerically by dot-separated parts, text as a tie-breaker.</summary>
    private sealed class VersionComparer : IComparer<string>
    {
        public static VersionComparer Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            var a = (x ?? "").Split('.', '-');
            var b = (y ?? "").Split('.', '-');
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var bothNumbers = int.TryParse(a[i], out var na) & int.TryParse(b[i], out var nb);
                var c = bothNumbers ? na.CompareTo(nb) : string.CompareOrdinal(a[i], b[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.Length.CompareTo(b.Length);
        }
    }
}
