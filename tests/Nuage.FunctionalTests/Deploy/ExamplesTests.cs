using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

/// <summary>Every example in examples/ deploys through the real pipeline and answers through the router.</summary>
public sealed class ExamplesTests
{
    [Theory]
    [InlineData("static", "runtime=static")]
    [InlineData("node", "runtime=node instance=0 greeting=salut")]
    [InlineData("python", "runtime=python instance=0 greeting=salut")]
    [InlineData("procfile", "runtime=procfile instance=0 greeting=salut")]
    [InlineData("go", "runtime=go instance=0 greeting=salut")]
    [InlineData("dotnet", "runtime=dotnet instance=0 greeting=salut")]
    public async Task Example_Deployed_AnswersWithItsRuntimeInstanceAndVariable(string runtime, string expected)
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "ex", "-t", runtime)).ExitCode);
        Assert.Equal(0, (await server.Cli().RunAsync("env", "set", "GREETING", "salut", "--app", "ex")).ExitCode);

        var deployment = await Deployer.DeployAsync(server, "ex", Deployer.Example(runtime));

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        var (status, body) = await Deployer.GetAppAsync(server, "ex");
        Assert.Equal(200, status);
        Assert.Contains(expected, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhpExample_FailsClearly_NamingWhatIsMissing()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "ex", "-t", "php")).ExitCode);

        var deployment = await Deployer.DeployAsync(server, "ex", Deployer.Example("php"));

        Assert.Equal("failed", deployment.GetProperty("state").GetString());
        Assert.Contains("PHP", deployment.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
    }
}
