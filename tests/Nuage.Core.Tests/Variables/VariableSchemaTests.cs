using System.Text.Json.Nodes;
using Nuage.Core.Variables;

namespace Nuage.Core.Tests.Variables;

public sealed class VariableSchemaTests
{
    private static readonly HostVersions Host = HostVersions.Of(("php", ["8.2.7"]));

    private static JsonObject Properties(string? runtime = null) =>
        VariableSchema.Generate(VariableRegistry.Default, Host, runtime)["properties"]!.AsObject();

    [Fact]
    public void Schema_DeclaresDraft2020AndAnObjectOfVariables()
    {
        var schema = JsonNode.Parse(VariableSchema.GenerateJson(VariableRegistry.Default, Host))!.AsObject();
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)schema["$schema"]);
        Assert.Equal("object", (string?)schema["type"]);
        Assert.Equal("string", (string?)schema["additionalProperties"]!["type"]);
        Assert.Equal(VariableRegistry.Default.All.Count + VariableRegistry.Default.All.Sum(d => d.DeprecatedAliases.Count), schema["properties"]!.AsObject().Count);
    }

    [Fact]
    public void Alternatives_HaveEnumAndDefault()
    {
        var restart = Properties()["CC_WORKER_RESTART"]!;
        Assert.Equal(["always", "on-failure", "no"], restart["enum"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("on-failure", (string?)restart["default"]);
        Assert.Equal("supported", (string?)restart["x-nuage-status"]);
    }

    [Fact]
    public void Number_HasMinimumMaximumAndPattern()
    {
        var delay = Properties()["CC_WORKER_RESTART_DELAY"]!;
        Assert.Equal(0, (int?)delay["minimum"]);
        Assert.Equal(3600, (int?)delay["maximum"]);
        Assert.NotNull(delay["pattern"]);
    }

    [Fact]
    public void PlatformVariable_IsReadOnly_AndAliasIsDeprecated()
    {
        var properties = Properties();
        Assert.True((bool?)properties["PORT"]!["readOnly"]);
        Assert.Null(properties["CC_RUN_COMMAND"]!["readOnly"]);
        Assert.True((bool?)properties["IGNORE_FROM_BUILDCACHE"]!["deprecated"]);
        Assert.StartsWith("Deprecated: use CC_IGNORE_FROM_BUILDCACHE.", (string?)properties["IGNORE_FROM_BUILDCACHE"]!["description"], StringComparison.Ordinal);
    }

    [Fact]
    public void VersionVariable_EnumIsWhatTheHostHas()
    {
        var php = Properties()["CC_PHP_VERSION"]!;
        Assert.Equal(["8", "8.2", "8.2.7"], php["enum"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void IndexedFamily_HasAPatternProperty()
    {
        var patterns = VariableSchema.Generate(VariableRegistry.Default, Host)["patternProperties"]!.AsObject();
        Assert.Contains("^CC_WORKER_COMMAND_(0|[1-9][0-9]{0,2})$", patterns.Select(p => p.Key));
    }

    [Fact]
    public void ForARuntime_OnlyItsVariablesAndCommonOnes()
    {
        var node = Properties("node");
        Assert.Contains("CC_NODE_BUILD_TOOL", node.Select(p => p.Key));
        Assert.Contains("CC_RUN_COMMAND", node.Select(p => p.Key));
        Assert.DoesNotContain("CC_PHP_VERSION", node.Select(p => p.Key));
    }

    [Fact]
    public void Booleans_ListEveryAcceptedSpelling()
    {
        var values = Properties()["CC_CACHE_DEPENDENCIES"]!["enum"]!.AsArray().Select(n => n!.ToJsonString()).ToList();
        Assert.Contains("\"enabled\"", values);
        Assert.Contains("true", values);
    }

    [Theory]
    [InlineData("api", true)]
    [InlineData("services/web", true)]
    [InlineData("a..b", true)]
    [InlineData("/etc", false)]
    [InlineData("../x", false)]
    [InlineData("a/../..", false)]
    [InlineData("a\\b", false)]
    public void PathPattern_AgreesWithThePathType(string value, bool accepted)
    {
        var pattern = (string)Properties()["APP_FOLDER"]!["pattern"]!;
        Assert.Equal(accepted, System.Text.RegularExpressions.Regex.IsMatch(value, pattern, System.Text.RegularExpressions.RegexOptions.ECMAScript));
        Assert.Equal(accepted, PathType.Relative.TryParse(value, HostVersions.None, out _));
    }

    [Fact]
    public void EveryPattern_IsAValidRegularExpression()
    {
        var schema = VariableSchema.Generate(VariableRegistry.Default, Host);
        var patterns = schema["properties"]!.AsObject().Select(p => p.Value!["pattern"]).OfType<JsonNode>().Select(n => (string)n!)
            .Concat(schema["patternProperties"]!.AsObject().Select(p => p.Key)).ToList();
        Assert.NotEmpty(patterns);
        Assert.All(patterns, p => _ = new System.Text.RegularExpressions.Regex(p, System.Text.RegularExpressions.RegexOptions.ECMAScript));
    }
}
