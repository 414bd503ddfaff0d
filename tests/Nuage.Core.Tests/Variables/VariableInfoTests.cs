using Nuage.Core.Variables;

namespace Nuage.Core.Tests.Variables;

public sealed class VariableInfoTests
{
    private readonly VariableValidator _validator = new(VariableRegistry.Default, HostVersions.Of(("php", ["8.3.1"])));

    [Fact]
    public void Explain_IndexedMember_DescribesTheFamily()
    {
        var info = _validator.Explain("CC_WORKER_COMMAND_3");
        Assert.NotNull(info);
        Assert.Equal("CC_WORKER_COMMAND", info.Name);
        Assert.True(info.Indexed);
        Assert.Equal("supported", info.Status);
    }

    [Fact]
    public void Explain_VersionVariable_ListsThisHostsVersions()
    {
        var info = _validator.Explain("CC_PHP_VERSION");
        Assert.NotNull(info);
        Assert.Equal("one of: 8, 8.3, 8.3.1", info.Accepted);
        Assert.Equal(["php"], info.Runtimes);
    }

    [Fact]
    public void Explain_Unknown_IsNull() => Assert.Null(_validator.Explain("CC_NOPE_NOT_HERE"));

    [Fact]
    public void Describe_ForARuntime_HasCommonAndItsOwnVariablesOnly()
    {
        var names = _validator.Describe("go").Select(i => i.Name).ToList();
        Assert.Contains("CC_GO_BUILD_TOOL", names);
        Assert.Contains("CC_WORKER_RESTART", names);
        Assert.DoesNotContain("CC_NODE_BUILD_TOOL", names);
        Assert.Equal(VariableRegistry.Default.All.Count, _validator.Describe().Count);
    }

    [Fact]
    public void Describe_DefaultsAreCanonicalText()
    {
        var restart = _validator.Describe().Single(i => i.Name == "CC_WORKER_RESTART");
        Assert.Equal("on-failure", restart.Default);
        Assert.Equal("alternatives", restart.Kind);
    }
}
