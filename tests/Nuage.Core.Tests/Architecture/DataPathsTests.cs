using System.Text.RegularExpressions;
using Nuage.Core.Tests.Variables;

namespace Nuage.Core.Tests.Architecture;

/// <summary>
/// Every path under the data directory comes from <c>NuagePaths</c>: no source file outside it joins the data
/// directory's root with a folder name, and the system PATH string is written once (<c>SystemPath</c>).
/// </summary>
public sealed partial class DataPathsTests
{
    [GeneratedRegex("""Path\.Combine\(\s*[\w.]*[pP]aths\.Root\s*,""", RegexOptions.CultureInvariant)]
    private static partial Regex RootCombine();

    [GeneratedRegex("\"[^\"]*/usr/bin:/bin[^\"]*\"", RegexOptions.CultureInvariant)]
    private static partial Regex SystemPathLiteral();

    [Fact]
    public void Sources_DeriveDataPathsOnlyInNuagePaths_AndWriteTheSystemPathOnce()
    {
        var root = RepoRoot.Find();
        var offenders = new List<string>();
        var scanned = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            scanned++;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (relative != "src/Nuage.Core/Paths/NuagePaths.cs" && RootCombine().IsMatch(lines[i]))
                {
                    offenders.Add($"{relative}:{i + 1}: joins the data directory itself; add a member to NuagePaths");
                }

                if (relative != "src/Nuage.Core/Paths/SystemPath.cs" && SystemPathLiteral().IsMatch(lines[i]))
                {
                    offenders.Add($"{relative}:{i + 1}: writes a system PATH; use SystemPath.Value");
                }
            }
        }

        Assert.True(scanned > 0, "no source file scanned; the test is looking in the wrong place");
        Assert.True(offenders.Count == 0, string.Join('\n', offenders));
    }

    [Theory]
    [InlineData("var uploads = Path.Combine(paths.Root, \"uploads\");", true)]
    [InlineData("Root = Path.Combine(_paths.Root, \"git\");", true)]
    [InlineData("var file = Path.Combine(paths.Uploads, id);", false)]
    public void RootCombine_DetectsAJoinOnTheDataRoot(string line, bool expected) =>
        Assert.Equal(expected, RootCombine().IsMatch(line));
}
