using Nuage.FunctionalTests.Infrastructure;
using Nuage.FunctionalTests.Mcp;

namespace Nuage.FunctionalTests.Addons;

/// <summary>The add-on MCP tools with the official C# client: schemas, idempotent replays, bad input, roles, no credentials.</summary>
public sealed class AddonMcpTests
{
    [Fact]
    public async Task CreateListGetLink_FollowToolConventions_AndNeverShowCredentials()
    {
        await using var server = await RunningServer.StartAsync(o => o with { InsecureHostNetwork = true });
        await McpHarness.CreateAppAsync(server, "shop");
        await using var client = await McpHarness.ConnectAsync(server);

        Assert.Equal("There are no add-ons.", (await client.CallAsync("list_addons")).Ok().Summary);
        (await client.CallAsync("create_addon", new { name = "cache", type = "mongodb" })).Failed("INVALID_ARGUMENT");

        var created = (await client.CallAsync("create_addon", new { name = "cache", type = "redis", idempotencyKey = "c-1" })).Ok();
        Assert.Equal("running", created.Data.GetProperty("status").GetString());
        var replay = (await client.CallAsync("create_addon", new { name = "cache", type = "redis", idempotencyKey = "c-1" })).Ok();
        Assert.Equal(created.Summary, replay.Summary); // the first result, not a second creation (which would be a conflict)
        (await client.CallAsync("create_addon", new { name = "cache", type = "redis" })).Failed("CONFLICT");

        var linked = (await client.CallAsync("link_addon", new { addon = "cache", app = "shop" })).Ok();
        Assert.Contains("restart_app", linked.NextTools);
        var got = (await client.CallAsync("get_addon", new { addon = "cache" })).Ok();
        Assert.Equal("shop", Assert.Single(got.Data.GetProperty("linkedApps").EnumerateArray()).GetString());
        Assert.DoesNotContain("redis://", got.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("password", (await client.CallAsync("list_addons")).Ok().Text, StringComparison.OrdinalIgnoreCase);

        var viewer = await McpHarness.CreateTokenAsync(server, "viewer");
        await using var viewerClient = await McpHarness.ConnectAsync(server, viewer);
        (await viewerClient.CallAsync("get_addon", new { addon = "cache" })).Ok();
        (await viewerClient.CallAsync("link_addon", new { addon = "cache", app = "shop" })).Failed("FORBIDDEN");
    }
}
