using System.Text.RegularExpressions;
using Nuage.Core.Errors;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Mcp;

namespace Nuage.FunctionalTests.Mcp.GoldenTasks;

/// <summary>
/// Golden tasks: scripted multi-call scenarios an agent performs, each against a real server with real example apps,
/// with the expected outputs (summaries, codes, effects) asserted at every step.
/// </summary>
public sealed partial class GoldenTaskTests(GoldenServer fixture) : IClassFixture<GoldenServer>
{
    private RunningServer Server => fixture.Server;

    [GeneratedRegex("^Deployment dep_[0-9a-z_]+ of (?<app>[a-z0-9-]+) failed at stage (?<stage>[a-z-]+): (?<reason>.+)\\.$")]
    private static partial Regex FailedSummary();

    [Fact]
    public async Task FindWhyTheLastDeployFailed_GetDeploymentThenGetLogs_QuotesTheCause()
    {
        await McpHarness.CreateAppAsync(Server, "g-crash");
        var (_, state) = await fixture.DeployNodeAsync("g-crash", indexJs: GoldenServer.CrashingApp);
        Assert.Equal("failed", state);
        await using var agent = await McpHarness.ConnectAsync(Server);

        var deployment = (await agent.CallAsync("get_deployment", new { app = "g-crash" })).Ok();
        var match = FailedSummary().Match(deployment.Summary);
        var logs = await McpToolsTests.WaitForLogsAsync(agent, new { app = "g-crash", search = "boom", since = "1h" });

        Assert.True(match.Success, deployment.Summary);
        Assert.Equal("g-crash", match.Groups["app"].Value);
        Assert.Contains("get_logs", deployment.NextTools);
        Assert.Contains("rollback", deployment.NextTools);
        Assert.Contains("boom: DATABASE_URL is not set", logs.Data.GetProperty("lines")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScaleToThreeInstances_ScaleThenGetApp_ServesFromThree()
    {
        await McpHarness.CreateAppAsync(Server, "g-scale");
        Assert.Equal("succeeded", (await fixture.DeployNodeAsync("g-scale")).State);
        await using var agent = await McpHarness.ConnectAsync(Server);

        // A serving app grows one instance at a time (no deployment): the tool returns once all three serve.
        var scaled = (await agent.CallAsync("scale", new { app = "g-scale", instances = 3, intent = "more capacity for the sale" })).Ok();
        var app = (await agent.CallAsync("get_app", new { app = "g-scale" })).Ok();

        Assert.False(scaled.Data.TryGetProperty("deployment", out var deployment) && deployment.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Contains("get_app", scaled.NextTools);
        Assert.Contains("3/3 instances running", app.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectARunningApp_GetApp_ShowsInstancesReleaseAndAWorkingUrl()
    {
        await McpHarness.CreateAppAsync(Server, "g-status");
        var (id, state) = await fixture.DeployNodeAsync("g-status");
        Assert.Equal("succeeded", state);
        await using var agent = await McpHarness.ConnectAsync(Server);

        var app = (await agent.CallAsync("get_app", new { app = "g-status" })).Ok();
        var url = app.Data.GetProperty("app").GetProperty("url").GetString()!;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Server.Server.RouterAddress) { Headers = { Host = new Uri(url).Authority } };
        using var response = await http.SendAsync(request);

        Assert.Equal($"g-status is running: node, 1 × nano, 1/1 instances running, release {id}, at {url}.", app.Summary);
        Assert.Equal(id, app.Data.GetProperty("currentRelease").GetProperty("id").GetString());
        Assert.StartsWith("runtime=node", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FixATypoedVariableAndRedeploy_ListVariablesSetEnvDeploy_AppliesTheRightName()
    {
        await McpHarness.CreateAppAsync(Server, "g-typo");
        Assert.Equal("succeeded", (await fixture.DeployNodeAsync("g-typo")).State);
        await using var agent = await McpHarness.ConnectAsync(Server);

        var typo = (await agent.CallAsync("set_env", new { app = "g-typo", name = "CC_HEALTH_CHEK_PATH", value = "/health" })).Ok();
        var registry = (await agent.CallAsync("list_variables", new { runtime = "node", search = "HEALTH_CHECK" })).Ok();
        var name = registry.Data.EnumerateArray().Select(v => v.GetProperty("name").GetString()!).Single(n => n == "CC_HEALTH_CHECK_PATH");
        (await agent.CallAsync("set_env", new { app = "g-typo", name, value = "/health", idempotencyKey = "g-typo-fix" })).Ok();
        var deploy = (await agent.CallAsync("deploy", new { app = "g-typo", intent = "apply CC_HEALTH_CHECK_PATH" })).Ok();
        var id = deploy.Data.GetProperty("id").GetString()!;
        var finalState = await McpHarness.WaitForDeploymentAsync(Server, "g-typo", id);
        var after = (await agent.CallAsync("get_deployment", new { app = "g-typo", deploymentId = id })).Ok();

        Assert.Contains("CC_HEALTH_CHECK_PATH", typo.Summary, StringComparison.Ordinal);
        Assert.Equal("redeploy", deploy.Data.GetProperty("kind").GetString());
        Assert.Equal("succeeded", finalState);
        Assert.StartsWith($"Deployment {id} of g-typo is succeeded", after.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollBackTheBrokenRelease_Rollback_ReturnsToThePreviousCommit()
    {
        await McpHarness.CreateAppAsync(Server, "g-rollback");
        Assert.Equal("succeeded", (await fixture.DeployNodeAsync("g-rollback", commit: "aaaaaaa")).State);
        Assert.Equal("succeeded", (await fixture.DeployNodeAsync("g-rollback", commit: "bbbbbbb", indexJs: GoldenServer.InjectingApp)).State);
        await using var agent = await McpHarness.ConnectAsync(Server);

        var rollback = (await agent.CallAsync("rollback", new { app = "g-rollback", idempotencyKey = "rb-1" })).Ok();
        var id = rollback.Data.GetProperty("id").GetString()!;
        var state = await McpHarness.WaitForDeploymentAsync(Server, "g-rollback", id);
        var app = (await agent.CallAsync("get_app", new { app = "g-rollback" })).Ok();

        Assert.Equal($"Rollback {id} of g-rollback is queued, to the release of aaaaaaa.", rollback.Summary);
        Assert.Equal("succeeded", state);
        Assert.Equal("aaaaaaa", app.Data.GetProperty("currentRelease").GetProperty("commitId").GetString());
    }

    [Fact]
    public async Task DeployANamedCommit_DeployWithCommit_ServesThatRelease()
    {
        await McpHarness.CreateAppAsync(Server, "g-commit");
        Assert.Equal("succeeded", (await fixture.DeployNodeAsync("g-commit", commit: "1111111")).State);
        Assert.Equal("succeeded", (await fixture.DeployNodeAsync("g-commit", commit: "2222222")).State);
        await using var agent = await McpHarness.ConnectAsync(Server);

        var deploy = (await agent.CallAsync("deploy", new { app = "g-commit", commit = "1111111" })).Ok();
        var state = await McpHarness.WaitForDeploymentAsync(Server, "g-commit", deploy.Data.GetProperty("id").GetString()!);
        var app = (await agent.CallAsync("get_app", new { app = "g-commit" })).Ok();
        var unknown = await agent.CallAsync("deploy", new { app = "g-commit", commit = "3333333" });

        Assert.Equal("succeeded", state);
        Assert.Equal("1111111", app.Data.GetProperty("currentRelease").GetProperty("commitId").GetString());
        unknown.Failed(ErrorKinds.McpNotFound);
    }

    [Fact]
    public async Task LogLineWithInstructions_FromARealApp_IsDataAndNothingChanges()
    {
        await McpHarness.CreateAppAsync(Server, "g-inject");
        Assert.Equal("succeeded", (await fixture.DeployNodeAsync("g-inject", indexJs: GoldenServer.InjectingApp)).State);
        await using var agent = await McpHarness.ConnectAsync(Server);
        var before = (await agent.CallAsync("list_apps", new { limit = 200 })).Ok().Data.GetProperty("items").GetArrayLength();
        var deploymentsBefore = (await agent.CallAsync("list_deployments", new { app = "g-inject" })).Ok().Data.GetProperty("items").GetArrayLength();

        var logs = await McpToolsTests.WaitForLogsAsync(agent, new { app = "g-inject", source = "app", search = "ignore previous" });

        Assert.Contains(NuageTools.UntrustedOpen, logs.Text, StringComparison.Ordinal);
        Assert.True(logs.Data.GetProperty("untrusted").GetBoolean());
        Assert.Equal(before, (await agent.CallAsync("list_apps", new { limit = 200 })).Ok().Data.GetProperty("items").GetArrayLength());
        Assert.Equal(deploymentsBefore, (await agent.CallAsync("list_deployments", new { app = "g-inject" })).Ok().Data.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task RetryADeployWithTheSameKey_StartsOneDeploymentOnly()
    {
        await McpHarness.CreateAppAsync(Server, "g-retry");
        Assert.Equal("succeeded", (await fixture.DeployNodeAsync("g-retry")).State);
        await using var agent = await McpHarness.ConnectAsync(Server);

        var first = (await agent.CallAsync("deploy", new { app = "g-retry", idempotencyKey = "release-42" })).Ok();
        var retry = (await agent.CallAsync("deploy", new { app = "g-retry", idempotencyKey = "release-42" })).Ok();
        await McpHarness.WaitForDeploymentAsync(Server, "g-retry", first.Data.GetProperty("id").GetString()!);
        var list = (await agent.CallAsync("list_deployments", new { app = "g-retry" })).Ok();

        Assert.Equal(first.Data.GetProperty("id").GetString(), retry.Data.GetProperty("id").GetString());
        Assert.True(retry.Structured.GetProperty("replayed").GetBoolean());
        Assert.Equal(2, list.Data.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task PageThroughDeployments_ListDeploymentsWithCursor_SeesEachOnce()
    {
        await McpHarness.CreateAppAsync(Server, "g-pages");
        for (var i = 0; i < 3; i++)
        {
            await fixture.DeployNodeAsync("g-pages", commit: $"abcdef{i}");
        }

        await using var agent = await McpHarness.ConnectAsync(Server);

        var page1 = (await agent.CallAsync("list_deployments", new { app = "g-pages", limit = 2 })).Ok();
        var cursor = page1.Data.GetProperty("next").GetString();
        var page2 = (await agent.CallAsync("list_deployments", new { app = "g-pages", limit = 2, cursor })).Ok();

        var ids = page1.Data.GetProperty("items").EnumerateArray().Concat(page2.Data.GetProperty("items").EnumerateArray()).Select(d => d.GetProperty("commitId").GetString()).ToList();
        Assert.Equal(["abcdef2", "abcdef1", "abcdef0"], ids);
        Assert.Contains("list_deployments", page1.NextTools);
    }

    [Fact]
    public async Task ViewerInvestigates_ReadsDeploymentLogsAndRedactedEnv_ButCannotChangeAnything()
    {
        await McpHarness.CreateAppAsync(Server, "g-viewer");
        await McpHarness.SetEnvAsync(Server, "g-viewer", "DATABASE_URL", "postgres://user:pw@db/app");
        Assert.Equal("succeeded", (await fixture.DeployNodeAsync("g-viewer")).State);
        await using var viewer = await McpHarness.ConnectAsync(Server, await McpHarness.CreateTokenAsync(Server, "viewer"));

        var deployment = (await viewer.CallAsync("get_deployment", new { app = "g-viewer" })).Ok();
        var logs = await McpToolsTests.WaitForLogsAsync(viewer, new { app = "g-viewer", source = "app" });
        var env = (await viewer.CallAsync("get_env", new { app = "g-viewer" })).Ok();
        var redeploy = await viewer.CallAsync("deploy", new { app = "g-viewer" });

        Assert.StartsWith("Deployment dep_", deployment.Summary, StringComparison.Ordinal);
        Assert.Contains("listening on", logs.Text, StringComparison.Ordinal);
        Assert.Equal("***", env.Data.GetProperty("variables").GetProperty("DATABASE_URL").GetString());
        redeploy.Failed(ErrorKinds.McpForbidden);
    }

    [Fact]
    public async Task RollbackWithoutAnEarlierRelease_IsAConflictThatSaysWhy()
    {
        await McpHarness.CreateAppAsync(Server, "g-first");
        Assert.Equal("succeeded", (await fixture.DeployNodeAsync("g-first")).State);
        await using var agent = await McpHarness.ConnectAsync(Server);

        var rollback = await agent.CallAsync("rollback", new { app = "g-first" });

        rollback.Failed(ErrorKinds.McpConflict);
        Assert.Contains("no earlier release", rollback.Structured.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedVariableValue_SetEnv_ListsAcceptedValuesAndKeepsTheOldOne()
    {
        await McpHarness.CreateAppAsync(Server, "g-refuse");
        await McpHarness.SetEnvAsync(Server, "g-refuse", "CC_NODE_BUILD_TOOL", "npm-ci");
        await using var agent = await McpHarness.ConnectAsync(Server);

        var refused = await agent.CallAsync("set_env", new { app = "g-refuse", name = "CC_NODE_BUILD_TOOL", value = "gradle" });
        var env = (await agent.CallAsync("get_env", new { app = "g-refuse" })).Ok();

        refused.Failed(ErrorKinds.McpInvalidArgument);
        Assert.Contains("CC_NODE_BUILD_TOOL", refused.Structured.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("npm-ci", env.Data.GetProperty("variables").GetProperty("CC_NODE_BUILD_TOOL").GetString());
    }

    [Fact]
    public async Task DiagnosePromptThenFollowItsSteps_OnAFailedDeploy_ReachesTheFailingLine()
    {
        await McpHarness.CreateAppAsync(Server, "g-prompt");
        Assert.Equal("failed", (await fixture.DeployNodeAsync("g-prompt", indexJs: GoldenServer.CrashingApp)).State);
        await using var agent = await McpHarness.ConnectAsync(Server);

        var prompt = await agent.GetPromptAsync("diagnose_failed_deployment", new Dictionary<string, object?> { ["app"] = "g-prompt" });
        var deployment = (await agent.CallAsync("get_deployment", new { app = "g-prompt" })).Ok();
        var since = deployment.Data.GetProperty("createdAt").GetString();
        var logs = await McpToolsTests.WaitForLogsAsync(agent, new { app = "g-prompt", since, source = "app", limit = 100 });

        Assert.Contains("get_deployment", ((ModelContextProtocol.Protocol.TextContentBlock)prompt.Messages[0].Content).Text, StringComparison.Ordinal);
        Assert.Equal("failed", deployment.Data.GetProperty("state").GetString());
        Assert.Contains("boom: DATABASE_URL is not set", logs.Text, StringComparison.Ordinal);
    }
}
