using System.Text.Json;
using Microsoft.Data.Sqlite;
using Nuage.Core.State;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.FunctionalTests.Mcp;
using Nuage.Server.Mcp;

namespace Nuage.FunctionalTests.Identity;

public sealed class AuditTrailTests
{
    private const string App = "audited";
    private const string Org = "audited-org";

    [Fact]
    public async Task EveryMutatingEndpoint_LeavesExactlyOneEntry_NamingTheEndpoint()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();
        await McpHarness.CreateAppAsync(server, App);
        (await IdentityWorld.PostAsync(http, "v1/orgs", new { name = Org })).Dispose();
        (await IdentityWorld.PostAsync(http, $"v1/orgs/{Org}/members", new { email = "a@audited.test", role = "admin" })).Dispose();
        var store = (IStateStore)server.Server.Services.GetService(typeof(IStateStore))!;

        // Generated from the routing table: a new mutating endpoint is covered without touching this test. The ones that
        // delete what the others need run last.
        var endpoints = ApiEndpoint.Of(server).Where(e => e.IsMutating)
            .OrderBy(e => e.Method == "DELETE" && e.Pattern is "/v1/apps/{app}" or "/v1/orgs/{org}").ToList();
        Assert.True(endpoints.Count >= 20, string.Join("\n", endpoints));
        foreach (var endpoint in endpoints)
        {
            var before = (await store.Audit.LastAsync(default))?.Seq ?? 0;
            using (var response = await endpoint.SendAsync(http, endpoint.Path(App, Org, "no-such-addon", "a@audited.test")))
            {
                await response.Content.ReadAsStringAsync();
            }

            var last = await store.Audit.LastAsync(default);
            Assert.True(last?.Seq == before + 1, $"{endpoint}: {(last?.Seq ?? 0) - before} entries");
            Assert.Equal(endpoint.ToString(), last!.Action.TrimEnd('/'));
            Assert.Equal("rest", last.EntryPoint);
        }

        // Reads leave nothing.
        var count = (await store.Audit.LastAsync(default))!.Seq;
        foreach (var read in ApiEndpoint.Of(server).Where(e => !e.IsMutating && !e.IsStream))
        {
            using var response = await read.SendAsync(http, read.Path(App, Org, "no-such-addon"));
        }

        Assert.Equal(count, (await store.Audit.LastAsync(default))!.Seq);
    }

    [Fact]
    public async Task EveryMutatingMcpTool_LeavesExactlyOneEntry()
    {
        await using var server = await RunningServer.StartAsync();
        await McpHarness.CreateAppAsync(server, App);
        var store = (IStateStore)server.Server.Services.GetService(typeof(IStateStore))!;
        await using var client = await McpHarness.ConnectAsync(server);
        var tools = McpToolCatalog.ReadOnlyByName.Where(t => !t.Value).Select(t => t.Key).Order().ToList();
        Assert.NotEmpty(tools);

        foreach (var tool in tools)
        {
            var before = (await store.Audit.LastAsync(default))?.Seq ?? 0;
            await client.CallToolAsync(tool, new Dictionary<string, object?> { ["app"] = App, ["addon"] = "no-such-addon", ["type"] = "redis", ["name"] = "SOME_VARIABLE", ["value"] = "x", ["instances"] = 1 });
            var last = await store.Audit.LastAsync(default);
            Assert.True(last?.Seq == before + 1, $"{tool}: {(last?.Seq ?? 0) - before} entries");
            Assert.Equal(("mcp", "tool " + tool, tool == "create_addon" ? "SOME_VARIABLE" : App), (last!.EntryPoint, last.Action, last.Target));
        }
    }

    [Fact]
    public async Task Verify_AfterAnEntryIsEditedOrDeleted_ReportsWhereTheChainBreaks()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", App, "-t", "node")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("env", "set", "FOO", "bar", "--app", App)).ExitCode);
        Assert.NotEqual(0, (await server.Cli("nuage_not-a-token").RunAsync("create", "sneaky", "-t", "node")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("env", "set", "FOO", "baz", "--app", App)).ExitCode);

        var listed = await cli.RunAsync("audit", "--app", App, "--json");
        Assert.Equal(0, listed.ExitCode);
        var entries = JsonDocument.Parse(listed.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        var all = JsonDocument.Parse((await cli.RunAsync("audit", "--json")).Output).RootElement.EnumerateArray().ToList();
        var refused = Assert.Single(all, e => e.GetProperty("outcome").GetString() == "refused");
        Assert.Equal("anonymous", refused.GetProperty("actor").GetString());
        Assert.Contains("unauthorized", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("audit", "verify")).ExitCode);

        await ExecuteAsync(server, "UPDATE audit SET outcome = 'success' WHERE seq = 3;");
        var edited = await cli.RunAsync("audit", "verify");
        Assert.Equal(1, edited.ExitCode);
        Assert.Contains("broken at entry 3", edited.Error, StringComparison.Ordinal);

        await ExecuteAsync(server, "UPDATE audit SET outcome = 'refused' WHERE seq = 3; DELETE FROM audit WHERE seq = 2;");
        var deleted = await cli.RunAsync("audit", "verify", "--json");
        Assert.Equal(1, deleted.ExitCode);
        var report = JsonDocument.Parse(deleted.Output).RootElement;
        Assert.Equal(2, report.GetProperty("brokenAt").GetInt64());
        Assert.Contains("missing", report.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(RunningServer server, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={server.Server.Paths.Database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
