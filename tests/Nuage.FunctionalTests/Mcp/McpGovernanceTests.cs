using System.Net;
using System.Text;
using ModelContextProtocol.Client;
using Nuage.Core.Errors;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Mcp;

namespace Nuage.FunctionalTests.Mcp;

/// <summary>Authentication, roles, limits and rate limits of /mcp, against a real server with the SDK's client.</summary>
public sealed class McpGovernanceTests
{
    private static readonly string[] ChangingTools = ["set_env", "deploy", "rollback", "scale", "restart_app"];

    [Fact]
    public async Task ListTools_ByRole_ViewerSeesOnlyReadOnlyToolsWithHonestAnnotations()
    {
        await using var server = await RunningServer.StartAsync();
        await using var admin = await McpHarness.ConnectAsync(server);
        await using var viewer = await McpHarness.ConnectAsync(server, await McpHarness.CreateTokenAsync(server, "viewer"));

        var all = await admin.ListToolsAsync();
        var visible = await viewer.ListToolsAsync();

        Assert.Equal(16, all.Count);
        Assert.Equal(
            ["get_addon", "get_app", "get_deployment", "get_env", "get_logs", "list_addons", "list_apps", "list_deployments", "list_variables"],
            visible.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(visible, t => Assert.True(t.ProtocolTool.Annotations?.ReadOnlyHint));
        foreach (var name in new[] { "deploy", "rollback", "scale", "restart_app" })
        {
            var annotations = all.Single(t => t.Name == name).ProtocolTool.Annotations!;
            Assert.True(annotations.DestructiveHint, name);
            Assert.False(annotations.IdempotentHint, name);
            Assert.False(annotations.ReadOnlyHint, name);
        }

        Assert.DoesNotContain(all, t => t.Name.Contains("shell", StringComparison.Ordinal) || t.Name.Contains("sql", StringComparison.Ordinal) || t.Name.Contains("exec", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_WithoutToken_Is401PointingAtProtectedResourceMetadata()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http(token: "");

        using var response = await http.PostAsync("mcp", new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"));
        var challenge = response.Headers.WwwAuthenticate.ToString();
        var metadataUrl = challenge.Split("resource_metadata=\"")[1].Split('"')[0];
        var metadata = await http.GetStringAsync(metadataUrl);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer ", challenge, StringComparison.Ordinal);
        Assert.EndsWith("/.well-known/oauth-protected-resource/mcp", metadataUrl, StringComparison.Ordinal);
        Assert.Contains($"\"resource\":\"{server.Url}/mcp\"", metadata, StringComparison.Ordinal);
        Assert.Contains("\"bearer_methods_supported\":[\"header\"]", metadata, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithUnknownToken_Is401InvalidToken()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http(token: "nuage_not_a_real_token");

        using var response = await http.PostAsync("mcp", new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil.example", null)]
    [InlineData("localhost", "http://evil.example")]
    public async Task Post_FromForeignHostOrOrigin_IsRefused(string host, string? origin)
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = host;
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Viewer_CallingEveryChangingTool_IsForbiddenAndChangesNothing()
    {
        await using var server = await RunningServer.StartAsync();
        await McpHarness.CreateAppAsync(server, "shop");
        await McpHarness.SetEnvAsync(server, "shop", "CC_NODE_BUILD_TOOL", "npm-ci");
        await using var viewer = await McpHarness.ConnectAsync(server, await McpHarness.CreateTokenAsync(server, "viewer"));

        var set = await viewer.CallAsync("set_env", new { app = "shop", name = "CC_NODE_BUILD_TOOL", value = "yarn" });
        var others = new List<ToolOutcome>();
        foreach (var tool in ChangingTools.Skip(1))
        {
            others.Add(await viewer.CallAsync(tool, new { app = "shop", instances = 2 }));
        }

        set.Failed(ErrorKinds.McpForbidden);
        Assert.Contains("developer role", set.Structured.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.All(others, o => o.Failed(ErrorKinds.McpForbidden));
        Assert.Equal("npm-ci", (await McpHarness.GetEnvAsync(server, "shop"))["CC_NODE_BUILD_TOOL"]);
    }

    [Fact]
    public async Task GetLogs_LimitAboveSchemaMaximum_IsRefusedWithTheAcceptedRange()
    {
        await using var server = await RunningServer.StartAsync();
        await McpHarness.CreateAppAsync(server, "shop");
        await using var client = await McpHarness.ConnectAsync(server);

        var result = await client.CallAsync("get_logs", new { app = "shop", limit = 10000 });

        result.Failed(ErrorKinds.McpInvalidArgument);
        Assert.Contains("limit: use a whole number from 1 to 500", result.Structured.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenThousandCharacterStrings_AreRefusedAndNothingIsWritten()
    {
        await using var server = await RunningServer.StartAsync();
        await McpHarness.CreateAppAsync(server, "shop");
        await using var client = await McpHarness.ConnectAsync(server);
        var huge = new string('x', 10_000);

        var outcomes = new[]
        {
            await client.CallAsync("get_app", new { app = huge }),
            await client.CallAsync("get_logs", new { app = "shop", search = huge }),
            await client.CallAsync("set_env", new { app = "shop", name = "GREETING", value = huge }),
            await client.CallAsync("set_env", new { app = "shop", name = huge, value = "x" }),
            await client.CallAsync("list_apps", new { intent = huge }),
            await client.CallAsync("deploy", new { app = "shop", idempotencyKey = huge }),
        };

        Assert.All(outcomes, o => o.Failed(ErrorKinds.McpInvalidArgument));
        Assert.Contains("at most 4096 are accepted", outcomes[2].Structured.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await McpHarness.GetEnvAsync(server, "shop"));
    }

    [Fact]
    public async Task ArgumentsOfTheWrongShape_AreInvalidArgumentNotAnOpaqueFailure()
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await McpHarness.ConnectAsync(server);

        var missing = ToolOutcome.From(await client.CallToolAsync("get_app", new Dictionary<string, object?>()));
        var wrongType = ToolOutcome.From(await client.CallToolAsync("get_logs", new Dictionary<string, object?> { ["app"] = "shop", ["limit"] = "many" }));
        var badEnum = await client.CallAsync("get_logs", new { app = "shop", source = "kernel" });

        missing.Failed(ErrorKinds.McpInvalidArgument);
        wrongType.Failed(ErrorKinds.McpInvalidArgument);
        badEnum.Failed(ErrorKinds.McpInvalidArgument);
        Assert.Contains("use one of: app, build, access, platform", badEnum.Structured.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Burst_BeyondTheRateLimit_IsRateLimitExceededThenRecovers()
    {
        // A 2-second window keeps the recovery wait short; the bucket arithmetic is the same as with the default minute.
        await using var server = await RunningServer.StartAsync(o => o with { Mcp = new McpOptions { CallsPerWindow = 5, RateWindow = TimeSpan.FromSeconds(2) } });
        await using var client = await McpHarness.ConnectAsync(server);

        var burst = new List<ToolOutcome>();
        for (var i = 0; i < 8; i++)
        {
            burst.Add(await client.CallAsync("list_apps"));
        }

        ToolOutcome? recovered = null;
        for (var attempt = 0; attempt < 100 && recovered is null; attempt++)
        {
            await Task.Delay(100);
            var again = await client.CallAsync("list_apps");
            recovered = again.IsError ? null : again;
        }

        Assert.True(burst.Count(o => !o.IsError) >= 5);
        var refused = burst.First(o => o.IsError).Failed(ErrorKinds.McpRateLimitExceeded);
        Assert.Contains("retry in", refused.Structured.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.NotNull(recovered);
    }

    [Fact]
    public async Task DeployAndRollback_HaveTheirOwnStricterBudget()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Mcp = new McpOptions { DeploysPerWindow = 1 } });
        await McpHarness.CreateAppAsync(server, "shop");
        await using var client = await McpHarness.ConnectAsync(server);

        var first = await client.CallAsync("deploy", new { app = "shop" });
        var second = await client.CallAsync("rollback", new { app = "shop" });
        var read = await client.CallAsync("get_app", new { app = "shop" });

        first.Failed(ErrorKinds.McpConflict); // no release yet: the call was made, and spent the budget
        second.Failed(ErrorKinds.McpRateLimitExceeded);
        read.Ok();
    }

    [Fact]
    public async Task RateLimits_ArePerToken()
    {
        await using var server = await RunningServer.StartAsync(o => o with { Mcp = new McpOptions { CallsPerWindow = 2, RateWindow = TimeSpan.FromHours(1) } });
        await using var admin = await McpHarness.ConnectAsync(server);
        await using var other = await McpHarness.ConnectAsync(server, await McpHarness.CreateTokenAsync(server, "viewer"));

        await admin.CallAsync("list_apps");
        await admin.CallAsync("list_apps");
        var third = await admin.CallAsync("list_apps");
        var otherFirst = await other.CallAsync("list_apps");

        third.Failed(ErrorKinds.McpRateLimitExceeded);
        otherFirst.Ok();
    }
}
