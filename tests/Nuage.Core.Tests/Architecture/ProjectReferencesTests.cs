using System.Xml.Linq;
using Nuage.Core.Tests.Variables;

namespace Nuage.Core.Tests.Architecture;

/// <summary>
/// Pins the project graph of docs/architecture.md: dependencies point inward to Core, feature libraries never
/// reference each other, only Server composes them. Reads every src/*/*.csproj's ProjectReference list.
/// </summary>
public sealed class ProjectReferencesTests
{
    private static readonly string[] FeatureLibraries = ["Nuage.Build", "Nuage.Runtime", "Nuage.Router", "Nuage.Logs", "Nuage.Bgp"];

    // Keep in step with the table in docs/architecture.md ("Projects").
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Nuage.Core"] = [],
        ["Nuage.State"] = ["Nuage.Core"],
        ["Nuage.Build"] = ["Nuage.Core"],
        ["Nuage.Runtime"] = ["Nuage.Core"],
        ["Nuage.Router"] = ["Nuage.Core"],
        ["Nuage.Logs"] = ["Nuage.Core"],
        ["Nuage.Bgp"] = ["Nuage.Core"],
        ["Nuage.Server"] = ["Nuage.Core", "Nuage.State", .. FeatureLibraries],
        ["Nuage.Cli"] = ["Nuage.Core"],
        ["Nuage"] = ["Nuage.Core", "Nuage.Server", "Nuage.Cli"],
    };

    [Fact]
    public void SourceProjects_ReferenceOnlyWhatTheArchitectureAllows()
    {
        var projects = SourceProjects();
        Assert.True(projects.Count >= Allowed.Count, $"found only {projects.Count} projects under src/; the test is looking in the wrong place");

        var problems = new List<string>();
        foreach (var (project, references) in projects)
        {
            if (!Allowed.TryGetValue(project, out var allowed))
            {
                problems.Add($"{project} is not in the allowed graph: add it to ProjectReferencesTests.Allowed and docs/architecture.md");
                continue;
            }

            problems.AddRange(references.Where(r => !allowed.Contains(r, StringComparer.Ordinal)).Select(r =>
                $"forbidden reference {project} -> {r} (allowed: {(allowed.Length == 0 ? "none" : string.Join(", ", allowed))}). "
                + "Move the shared types into Nuage.Core instead, or change the rule here and in docs/architecture.md."));
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void FeatureLibraries_AreAllKnownProjects() =>
        Assert.All(FeatureLibraries, f => Assert.Contains(f, SourceProjects().Keys));

    private static Dictionary<string, string[]> SourceProjects()
    {
        var src = Path.Combine(RepoRoot.Find(), "src");
        return Directory.EnumerateFiles(src, "*.csproj", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(
                f => Path.GetFileNameWithoutExtension(f),
                f => XDocument.Load(f).Descendants("ProjectReference")
                    .Select(r => Path.GetFileNameWithoutExtension(((string?)r.Attribute("Include") ?? "").Replace('\\', '/')))
                    .ToArray(),
                StringComparer.Ordinal);
    }
}
