using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Git;

namespace Nuage.FunctionalTests.Deploy;

/// <summary><c>nuage deploy</c> and <c>nuage activity</c> through the real CLI code against a real server.</summary>
public sealed class DeployCommandTests
{
    [Fact]
    public async Task Deploy_StaticExample_FollowsStagesAndActivityListsIt()
    {
        await using var server = await RunningServer.StartAsync();
        var work = Deployer.CopyExample(server, "static", "site");
        await GitClient.OkAsync(work, "init", "-q", "--initial-branch=main");
        await GitClient.OkAsync(work, "add", "-A");
        await GitClient.OkAsync(work, "commit", "-q", "-m", "Static site, first version");
        var commit = (await GitClient.OkAsync(work, "rev-parse", "HEAD")).Trim();
        var cli = server.Cli(workingDirectory: work);
        Assert.Equal(0, (await cli.RunAsync("create", "site", "-t", "static")).ExitCode);

        var deploy = await cli.RunAsync("deploy");
        var activity = await cli.RunAsync("activity", "--json");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains($"Deploying site {commit[..7]} \"Static site, first version\"", deploy.Output, StringComparison.Ordinal);
        Assert.Contains("✓ unpack", deploy.Output, StringComparison.Ordinal);
        Assert.Contains("✓ health-check", deploy.Output, StringComparison.Ordinal);
        Assert.Contains($"Deployed site ({commit[..7]}) in ", deploy.Output, StringComparison.Ordinal);
        Assert.Equal(0, activity.ExitCode);
        using var list = JsonDocument.Parse(activity.Output);
        var item = Assert.Single(list.RootElement.EnumerateArray());
        Assert.Equal(commit, item.GetProperty("commitId").GetString());
        Assert.Equal("succeeded", item.GetProperty("state").GetString());
        Assert.Equal("upload", item.GetProperty("kind").GetString());
    }
}
