using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Deploy;

public sealed class DeployTests
{
    [Fact]
    public async Task NodeExample_Deployed_AnswersThroughRouterWithItsVariable()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node", "--instances", "2")).ExitCode);
        Assert.Equal(0, (await server.Cli().RunAsync("env", "set", "GREETING", "bonjour", "--app", "web")).ExitCode);

        var deployment = await Deployer.DeployAsync(server, "web", Deployer.Example("node"));

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        var stages = deployment.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["validate", "unpack", "detect", "start", "health-check", "switch", "retire"], stages);
        var bodies = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            var (status, body) = await Deployer.GetAppAsync(server, "web");
            Assert.Equal(200, status);
            bodies.Add(body.Trim());
        }

        Assert.Equal(["runtime=node instance=0 greeting=bonjour", "runtime=node instance=1 greeting=bonjour"], bodies.Order());
        var ps = await server.Cli().RunAsync("ps", "--app", "web", "--json");
        Assert.Equal(2, JsonDocument.Parse(ps.Output).RootElement.EnumerateArray().Count(i => i.GetProperty("status").GetString() == "running"));
    }

    [Fact]
    public async Task StaticExample_Deployed_IsServedByNuageStaticServer()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "site", "-t", "static")).ExitCode);

        var deployment = await Deployer.DeployAsync(server, "site", Deployer.Example("static"));

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        var (status, body) = await Deployer.GetAppAsync(server, "site");
        Assert.Equal(200, status);
        Assert.Contains("runtime=static", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingPreBuildHook_FailsThatStage_AndPreviousReleaseKeepsServing()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node")).ExitCode);
        await Deployer.DeployOkAsync(server, "web", Deployer.Example("node"));
        Assert.Equal(0, (await server.Cli().RunAsync("env", "set", "CC_PRE_BUILD_HOOK", "echo about to fail; exit 3", "--app", "web")).ExitCode);

        var failed = await Deployer.DeployAsync(server, "web", Deployer.Example("node"));

        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal("pre-build-hook", failed.GetProperty("failedStage").GetString());
        Assert.Contains("exit code 3", failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        var (status, body) = await Deployer.GetAppAsync(server, "web");
        Assert.Equal(200, status);
        Assert.StartsWith("runtime=node", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hooks_RunInOrder_AroundBuildAndStart()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "web", "-t", "node")).ExitCode);
        Assert.Equal(0, (await cli.RunWithInputAsync(
            "CC_PRE_BUILD_HOOK=echo hook:pre-build\nCC_POST_BUILD_HOOK=echo hook:post-build\nCC_PRE_RUN_HOOK=echo hook:pre-run\nCC_RUN_SUCCEEDED_HOOK=echo hook:run-succeeded\n",
            "env", "import", "--app", "web")).ExitCode);

        var deployment = await Deployer.DeployAsync(server, "web", Deployer.Example("node"));

        Assert.True(deployment.GetProperty("state").GetString() == "succeeded", Deployer.Describe(deployment));
        var stages = deployment.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["validate", "unpack", "detect", "pre-build-hook", "post-build-hook", "start", "health-check", "switch", "run-succeeded-hook", "retire"], stages);
        using var http = server.Http();
        var events = await http.GetStringAsync($"v1/apps/web/deployments/{deployment.GetProperty("id").GetString()}/events");
        var hookLines = events.Split('\n').Where(l => l.Contains("\"message\":\"hook:", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message").GetString()).ToList();
        Assert.Equal(["hook:pre-build", "hook:post-build", "hook:run-succeeded"], hookLines);
        var stdout = Directory.GetFiles(Path.Combine(server.DataDirectory, "logs", "apps"), "*web-0.stdout.log", SearchOption.AllDirectories).Single();
        Assert.StartsWith("hook:pre-run", await File.ReadAllTextAsync(stdout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppThatCrashesAtStart_FailsHealthCheckWithItsErrorOutput_AndOldReleaseServes()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node")).ExitCode);
        await Deployer.DeployOkAsync(server, "web", Deployer.Example("node"));
        var broken = Deployer.CopyExample(server, "node");
        await File.WriteAllTextAsync(Path.Combine(broken, "index.js"), "console.error('cannot connect to the database'); process.exit(4);\n");

        var failed = await Deployer.DeployAsync(server, "web", broken);

        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal("health-check", failed.GetProperty("failedStage").GetString());
        Assert.Contains("cannot connect to the database", failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        var (status, body) = await Deployer.GetAppAsync(server, "web");
        Assert.Equal(200, status);
        Assert.StartsWith("runtime=node", body, StringComparison.Ordinal);
        var ps = JsonDocument.Parse((await server.Cli().RunAsync("ps", "--app", "web", "--json")).Output).RootElement;
        Assert.Single(ps.EnumerateArray());
    }

    [Fact]
    public async Task Rollback_ServesThePreviousReleaseWithoutRebuilding()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node")).ExitCode);
        var v1 = Deployer.CopyExample(server, "node");
        var v2 = Deployer.CopyExample(server, "node");
        await File.WriteAllTextAsync(Path.Combine(v2, "index.js"), (await File.ReadAllTextAsync(Path.Combine(v1, "index.js"))).Replace("runtime=node", "runtime=node-v2", StringComparison.Ordinal));
        await Deployer.DeployOkAsync(server, "web", v1);
        await Deployer.DeployOkAsync(server, "web", v2);
        Assert.StartsWith("runtime=node-v2", (await Deployer.GetAppAsync(server, "web")).Body, StringComparison.Ordinal);

        var rollback = await server.Cli().RunAsync("rollback", "--app", "web");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.StartsWith("runtime=node instance", (await Deployer.GetAppAsync(server, "web")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_AnswersStoppedPage_AndStartServesAgain()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal(0, (await server.Cli().RunAsync("create", "web", "-t", "node")).ExitCode);
        await Deployer.DeployOkAsync(server, "web", Deployer.Example("node"));

        Assert.Equal(0, (await server.Cli().RunAsync("stop", "--app", "web")).ExitCode);
        var stopped = await Deployer.GetAppAsync(server, "web");
        Assert.Equal(0, (await server.Cli().RunAsync("start", "--app", "web")).ExitCode);

        Assert.Equal(503, stopped.Status);
        Assert.Contains("stopped", stopped.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(200, (await Deployer.GetAppAsync(server, "web")).Status);
    }
}
