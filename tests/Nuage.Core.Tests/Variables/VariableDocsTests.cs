using Nuage.Core.Variables;

namespace Nuage.Core.Tests.Variables;

public sealed class VariableDocsTests
{
    private const string UpdateVariable = "NUAGE_UPDATE_GOLDEN";

    [Fact]
    public void CommittedVariablesReference_MatchesTheRegistry()
    {
        var path = Path.Combine(RepoRoot.Find(), "docs", "variables.md");
        var generated = VariableDocs.Render(VariableRegistry.Default);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        var committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        Assert.True(committed == generated,
            $"docs/variables.md is stale (or missing). Regenerate it with: {UpdateVariable}=1 dotnet test tests/Nuage.Core.Tests --filter VariableDocsTests, then commit it.");
    }

    [Fact]
    public void Render_GroupsCommonRuntimePlatformAndUnsupported()
    {
        var text = VariableDocs.Render(VariableRegistry.Default);
        var common = text.IndexOf("## Common to every runtime", StringComparison.Ordinal);
        var node = text.IndexOf("## Runtime: node", StringComparison.Ordinal);
        var platform = text.IndexOf("## Set by the platform (read-only)", StringComparison.Ordinal);
        var unsupported = text.IndexOf("## Recognised, not supported yet", StringComparison.Ordinal);
        Assert.True(common > 0 && node > common && platform > node && unsupported > platform, "sections missing or out of order");
        Assert.Contains("| `CC_WORKER_RESTART` | alternatives | `on-failure` | one of: always, on-failure, no |", text, StringComparison.Ordinal);
        Assert.Contains("`CC_WORKER_COMMAND`, `CC_WORKER_COMMAND_N`", text, StringComparison.Ordinal);
    }
}
