using System.Text.RegularExpressions;
using Nuage.Core.Errors;
using Nuage.Core.Tests.Variables;

namespace Nuage.Core.Tests.Errors;

public sealed partial class ErrorDocsTests
{
    private const string UpdateVariable = "NUAGE_UPDATE_GOLDEN";

    // The places a stable code is written: NuageException(kind, "code"…), its NotFound/Conflict helpers,
    // Invalid("code", errors) (a code has an underscore; Invalid("field", value, message) names a field instead),
    // Problems.WriteAsync(context, status, "code"…) and `const string …Code = "code"`.
    [GeneratedRegex("""(?:(?:ErrorKind\.\w+,\s*|NuageException\.(?:NotFound|Conflict)\(\s*|WriteAsync\(\w+,\s*[\w.]+,\s*|Code\s*=\s*)"([a-z]+(?:_[a-z0-9]+)*)"|NuageException\.Invalid\(\s*"([a-z]+(?:_[a-z0-9]+)+)")[,;)]""", RegexOptions.CultureInvariant)]
    private static partial Regex CodeLiteral();

    [Fact]
    public void CommittedErrorsReference_MatchesTheCatalogue()
    {
        var path = Path.Combine(RepoRoot.Find(), "docs", "errors.md");
        var generated = ErrorDocs.Render();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, generated);
        }

        var committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        Assert.True(committed == generated,
            $"docs/errors.md is stale (or missing). Regenerate it with: {UpdateVariable}=1 dotnet test tests/Nuage.Core.Tests --filter ErrorDocsTests, then commit it.");
    }

    [Fact]
    public void Catalogue_HasEachCodeOnce_InSnakeCase_WithAMeaning()
    {
        var duplicates = ErrorCodes.All.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "codes listed twice: " + string.Join(", ", duplicates));
        Assert.All(ErrorCodes.All, c =>
        {
            Assert.Matches("^[a-z]+(_[a-z0-9]+)*$", c.Code);
            Assert.False(string.IsNullOrWhiteSpace(c.Meaning), $"{c.Code} has no meaning");
        });
        Assert.Equal(Enum.GetValues<ErrorKind>().Order(), ErrorKinds.All.Select(k => k.Kind).Order());
    }

    [Fact]
    public void Sources_UseOnlyCataloguedCodes()
    {
        var root = RepoRoot.Find();
        var known = ErrorCodes.All.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var unknown = new List<string>();
        var scanned = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            scanned++;
            foreach (Match match in CodeLiteral().Matches(File.ReadAllText(file)))
            {
                var code = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
                if (!known.Contains(code))
                {
                    unknown.Add($"{relative}: \"{code}\"");
                }
            }
        }

        Assert.True(scanned > 0, "no source file scanned; the test is looking in the wrong place");
        Assert.True(unknown.Count == 0,
            "error codes missing from src/Nuage.Core/Errors/ErrorCodes.cs (add each with its meaning, use the constant, regenerate docs/errors.md):\n"
            + string.Join('\n', unknown));
    }

    [Theory]
    [InlineData("throw new NuageException(ErrorKind.Failed, \"task_failed\", detail);", "task_failed")]
    [InlineData("throw NuageException.NotFound(\"app_not_found\", message);", "app_not_found")]
    [InlineData("await WriteAsync(context, 500, \"internal_error\", detail, null);", "internal_error")]
    [InlineData("public const string Code = \"invalid_variable\";", "invalid_variable")]
    [InlineData("throw NuageException.Invalid(\"invalid_app\", errors);", "invalid_app")]
    [InlineData("throw NuageException.Invalid(\"limit\", value, \"must be a number\");", "")]
    public void CodeLiteral_FindsEveryWayACodeIsWritten(string source, string code)
    {
        var match = CodeLiteral().Match(source);
        Assert.Equal(code, match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);
    }
}
