using Nuage.Core.Variables;

namespace Nuage.Core.Tests.Variables;

public sealed class AlternativesTypeTests
{
    [Theory]
    [InlineData("always", WorkerRestartPolicy.Always)]
    [InlineData("on-failure", WorkerRestartPolicy.OnFailure)]
    [InlineData("no", WorkerRestartPolicy.No)]
    public void WorkerRestart_EveryToken_ParsesToItsPolicy_InAnyCasingAndSpacing(string token, WorkerRestartPolicy expected)
    {
        foreach (var variant in Variants.Of(token))
        {
            Assert.True(KnownVariables.WorkerRestart.TypedType.TryParse(variant.Trim(), HostVersions.None, out var value), variant);
            Assert.Equal(expected, value);
        }
    }

    [Theory]
    [InlineData("npm", NodeBuildTool.Npm)]
    [InlineData("npm-ci", NodeBuildTool.NpmCi)]
    [InlineData("yarn", NodeBuildTool.Yarn)]
    [InlineData("yarn2", NodeBuildTool.Yarn2)]
    [InlineData("custom", NodeBuildTool.Custom)]
    public void NodeBuildTool_EveryToken_ParsesToItsTool(string token, NodeBuildTool expected)
    {
        foreach (var variant in Variants.Of(token))
        {
            Assert.True(KnownVariables.NodeBuildTool.TypedType.TryParse(variant.Trim(), HostVersions.None, out var value), variant);
            Assert.Equal(expected, value);
        }
    }

    [Theory]
    [InlineData("install", DevDependencies.Install)]
    [InlineData("ignore", DevDependencies.Ignore)]
    public void NodeDevDependencies_EveryToken_Parses(string token, DevDependencies expected)
    {
        Assert.True(KnownVariables.NodeDevDependencies.TypedType.TryParse(token, HostVersions.None, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("gomod", GoBuildTool.GoMod)]
    [InlineData("gobuild", GoBuildTool.GoBuild)]
    public void GoBuildTool_EveryToken_Parses(string token, GoBuildTool expected)
    {
        Assert.True(KnownVariables.GoBuildTool.TypedType.TryParse(token, HostVersions.None, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("2", 2)]
    public void ComposerVersion_EveryToken_Parses(string token, int expected)
    {
        Assert.True(KnownVariables.ComposerVersion.TypedType.TryParse(token, HostVersions.None, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("sometimes")]
    [InlineData("onfailure")]
    [InlineData("on failure")]
    [InlineData("always!")]
    public void WorkerRestart_UnknownToken_IsRefused(string token) =>
        Assert.False(KnownVariables.WorkerRestart.TypedType.TryParse(token, HostVersions.None, out _));

    [Fact]
    public void Format_OfAValue_GivesItsCanonicalToken()
    {
        Assert.Equal("on-failure", KnownVariables.WorkerRestart.TypedType.Format(WorkerRestartPolicy.OnFailure));
        Assert.Equal("npm-ci", KnownVariables.NodeBuildTool.TypedType.Format(NodeBuildTool.NpmCi));
    }
}
