using System.Text.Json;
using System.Text.Json.Nodes;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Mcp;

/// <summary>
/// Every tool declares a real output schema generated from the type it returns: no boolean subschemas (the official
/// TypeScript SDK client refuses tools/list over "data": true), and a payload that drifts from it is caught.
/// </summary>
public sealed class McpOutputSchemaTests
{
    [Fact]
    public async Task ListTools_EverySchema_IsAnObjectSchemaWithATypedDataAndNoBooleanSubschemas()
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await McpHarness.ConnectAsync(server);

        var tools = await client.ListToolsAsync();

        Assert.Equal(16, tools.Count);
        foreach (var tool in tools)
        {
            var output = tool.ProtocolTool.OutputSchema;
            Assert.True(output is not null, $"{tool.Name} has no outputSchema");
            Assert.Empty(ToolOutputSchemas.BooleanSubschemas(tool.ProtocolTool.InputSchema, tool.Name + "/inputSchema"));
            Assert.Empty(ToolOutputSchemas.BooleanSubschemas(output!.Value, tool.Name + "/outputSchema"));
            Assert.Equal("object", output.Value.GetProperty("type").GetString());
            var data = output.Value.GetProperty("properties").GetProperty("data");
            Assert.True(data.ValueKind == JsonValueKind.Object && data.TryGetProperty("type", out _), $"{tool.Name}'s data is not typed: {data}");
        }
    }

    [Fact]
    public async Task StructuredContent_OfEveryReadTool_MatchesItsSchema_AndADriftedPayloadIsCaught()
    {
        await using var server = await RunningServer.StartAsync();
        await McpHarness.CreateAppAsync(server, "shop");
        await McpHarness.SetEnvAsync(server, "shop", "DATABASE_PASSWORD", "hunter2");
        await using var client = await McpHarness.ConnectAsync(server);

        // CallAsync validates each result against the tool's outputSchema (see ToolOutputSchemas).
        (await client.CallAsync("list_apps")).Ok();
        var app = (await client.CallAsync("get_app", new { app = "shop" })).Ok();
        (await client.CallAsync("list_deployments", new { app = "shop" })).Ok();
        (await client.CallAsync("list_variables", new { runtime = "node" })).Ok();
        (await client.CallAsync("get_env", new { app = "shop" })).Ok();
        (await client.CallAsync("set_env", new { app = "shop", name = "GREETING", value = "hi", idempotencyKey = "k-1" })).Ok();
        (await client.CallAsync("set_env", new { app = "shop", name = "GREETING", value = "hi", idempotencyKey = "k-1" })).Ok();
        (await client.CallAsync("get_logs", new { app = "shop", limit = 5 })).Ok();
        (await client.CallAsync("scale", new { app = "shop", instances = 2 })).Ok();

        var schema = (await client.ListToolsAsync()).Single(t => t.Name == "get_app").ProtocolTool.OutputSchema!.Value;
        var drifted = JsonNode.Parse(app.Structured.GetRawText())!;
        drifted["data"]!["app"]!["instances"] = "two";
        Assert.Empty(ToolOutputSchemas.Problems(schema, app.Structured));
        Assert.NotEmpty(ToolOutputSchemas.Problems(schema, JsonSerializer.SerializeToElement(drifted)));
    }
}
