using Nuage.Core.Variables;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>examples/static-build: a static site built by its package.json script in the build sandbox, then served from CC_WEBROOT.</summary>
public sealed class StaticBuildDeployTests
{
    [Fact]
    public async Task StaticSite_WithBuildScriptAndWebRoot_ServesTheBuiltFolderOnly()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "site", "-t", "static")).ExitCode);
        Assert.Equal(0, (await server.Cli().RunAsync("env", "set", KnownVariables.WebRoot.Name, "/dist", "--app", "site")).ExitCode);

        var deployment = await Deployer.DeployOkAsync(server, "site", Deployer.Example("static-build"));

        Assert.Contains("build", deployment.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var (status, body) = await Deployer.GetAppAsync(server, "site");
        Assert.Equal(200, status);
        Assert.Contains("runtime=static built=yes", body, StringComparison.Ordinal);
        Assert.Equal(404, (await Deployer.GetAppAsync(server, "site", "/package.json")).Status);
    }

    [Fact]
    public async Task StaticSite_BuiltButWebRootUnset_FailsAtTheBuildNamingTheFix_AndKeepsServingTheOldRelease()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "site", "-t", "static")).ExitCode);
        await Deployer.DeployOkAsync(server, "site", Deployer.Example("static"));

        var failed = await Deployer.DeployAsync(server, "site", Deployer.Example("static-build"));

        Assert.True(failed.GetProperty("state").GetString() == "failed", Deployer.Describe(failed));
        var stage = failed.GetProperty("stages").EnumerateArray().Last();
        Assert.Equal("build", stage.GetProperty("name").GetString());
        var reason = failed.GetProperty("failureReason").GetString()!;
        Assert.Contains("check web root", reason, StringComparison.Ordinal);
        Assert.Contains("set CC_WEBROOT=dist", reason, StringComparison.Ordinal);
        Assert.Contains("runtime=static", (await Deployer.GetAppAsync(server, "site")).Body, StringComparison.Ordinal);
    }
}
