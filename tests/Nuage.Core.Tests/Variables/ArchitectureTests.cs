using System.Text.RegularExpressions;

namespace Nuage.Core.Tests.Variables;

/// <summary>
/// The registry is the only reader of platform variables: no <c>"CC_…"</c> string literal may appear in
/// src/ outside src/Nuage.Core/Variables/. Code asks <c>AppSettings</c> for typed values, or uses
/// <c>KnownVariables.X.Name</c> when it must write a name (e.g. injecting CC_DEPLOYMENT_ID).
/// </summary>
public sealed partial class ArchitectureTests
{
    // Explicit allow-list, "relative/path.cs" entries with a comment saying why. Keep it empty if at all possible.
    private static readonly string[] AllowList = [];

    [GeneratedRegex("(?:\\$@|@\\$|\\$|@)?\"{1,3}CC_", RegexOptions.CultureInvariant)]
    private static partial Regex CcLiteral();

    [Fact]
    public void Sources_OutsideTheRegistry_HaveNoCcStringLiteral()
    {
        var root = RepoRoot.Find();
        var src = Path.Combine(root, "src");
        var registry = Path.Combine(src, "Nuage.Core", "Variables") + Path.DirectorySeparatorChar;
        var offenders = new List<string>();
        var scanned = 0;
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (file.StartsWith(registry, StringComparison.Ordinal) || IsBuildOutput(relative) || AllowList.Contains(relative))
            {
                continue;
            }

            scanned++;
            offenders.AddRange(FindLiterals(File.ReadAllText(file)).Select(line => $"{relative}:{line}"));
        }

        Assert.True(scanned > 0, "no source file scanned; the test is looking in the wrong place");
        Assert.True(offenders.Count == 0,
            "CC_ string literals outside src/Nuage.Core/Variables/ (read typed values from AppSettings, or use KnownVariables.X.Name):\n"
            + string.Join('\n', offenders));
    }

    [Theory]
    [InlineData("var x = env[\"CC_RUN_COMMAND\"];", 1)]
    [InlineData("var x = Environment.GetEnvironmentVariable(@\"CC_TASK\");", 1)]
    [InlineData("var x = $\"CC_WORKER_COMMAND_{i}\";", 1)]
    [InlineData("var x = \"\"\"CC_X\"\"\";", 1)]
    [InlineData("var x = KnownVariables.RunCommand.Name; // reads CC_RUN_COMMAND", 0)]
    [InlineData("var x = \"ACC_X\";", 0)]
    public void FindLiterals_DetectsEveryLiteralForm(string source, int expected) =>
        Assert.Equal(expected, FindLiterals(source).Count());

    private static IEnumerable<int> FindLiterals(string source) =>
        source.Split('\n').Select((line, i) => (line, i)).Where(l => CcLiteral().IsMatch(l.line)).Select(l => l.i + 1);

    private static bool IsBuildOutput(string relative) =>
        relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal);
}
