using System.Diagnostics;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.Server.Mcp;

namespace Nuage.FunctionalTests.Mcp;

/// <summary>
/// The official TypeScript SDK's client (npm @modelcontextprotocol/sdk 1.x, pinned in tools/package.json; what most
/// desktop and IDE agents embed) against /mcp over Streamable HTTP and against 'nuage mcp' over stdio, through
/// tools/mcp-ts-sdk-client.mjs. That client refuses a tools/list it cannot parse and validates every successful
/// call's structuredContent against the tool's outputSchema with Ajv: a call that fails either check reports "error".
/// </summary>
public sealed class TypeScriptSdkClientTests
{
    [Fact]
    public async Task TsSdkClient_OverStreamableHttp_ListsCallsReadsAndPrompts_WithValidatedOutput()
    {
        await using var server = await RunningServer.StartAsync();
        await McpHarness.CreateAppAsync(server, "shop", runtime: "static");
        var (deployment, state) = await McpHarness.DeployDirectoryAsync(server, "shop", McpHarness.CopyExample(server, "static"));
        Assert.Equal("succeeded", state);
        var setGreeting = new { name = "set_env", arguments = new { app = "shop", name = "GREETING", value = "hi", intent = "greet visitors", idempotencyKey = "greet-1" } };
        var plan = new
        {
            calls = new object[]
            {
                new { name = "list_apps" },
                new { name = "get_app", arguments = new { app = "shop" } },
                new { name = "list_deployments", arguments = new { app = "shop" } },
                new { name = "get_deployment", arguments = new { app = "shop", deploymentId = deployment } },
                new { name = "list_variables", arguments = new { runtime = "static", search = "health" } },
                new { name = "get_logs", arguments = new { app = "shop", limit = 20 } },
                setGreeting,
                setGreeting,
                new { name = "get_env", arguments = new { app = "shop" } },
            },
            resource = "nuage://apps/shop",
            prompt = new { name = "diagnose_failed_deployment", arguments = new { app = "shop" } },
        };

        var report = await RunAsync(server, ["http", server.Url + "/mcp", server.AdminToken], plan);

        AssertHealthy(report, expectedTools: McpToolCatalog.ReadOnlyByName.Count);
        var calls = report.GetProperty("calls").EnumerateArray().ToList();
        Assert.All(calls, c => Assert.False(c.GetProperty("isError").GetBoolean(), c.ToString()));
        Assert.Equal("shop", Data(calls[1]).GetProperty("app").GetProperty("name").GetString());
        Assert.Equal(deployment, Data(calls[1]).GetProperty("currentRelease").GetProperty("id").GetString());
        Assert.NotEqual(0, Data(calls[3]).GetProperty("stages").GetArrayLength());
        Assert.False(calls[6].GetProperty("structuredContent").TryGetProperty("replayed", out _));
        Assert.True(calls[7].GetProperty("structuredContent").GetProperty("replayed").GetBoolean());
        Assert.Equal("***", Data(calls[8]).GetProperty("variables").GetProperty("GREETING").GetString()); // user variables are redacted over MCP
        Assert.Contains("\"name\":\"shop\"", report.GetProperty("resource").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("app=\"shop\"", report.GetProperty("prompt").GetProperty("messages")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("hi", (await McpHarness.GetEnvAsync(server, "shop"))["GREETING"]);
    }

    [Fact]
    public async Task TsSdkClient_OverStdioThroughNuageMcp_CallsToolsAndAViewerIsRefusedTheChange()
    {
        await using var server = await RunningServer.StartAsync();
        await McpHarness.CreateAppAsync(server, "shop");
        var viewer = await McpHarness.CreateTokenAsync(server, "viewer");
        var setGreeting = new { name = "set_env", arguments = new { app = "shop", name = "GREETING", value = "hi", intent = "greet visitors" } };
        var plan = new
        {
            calls = new object[]
            {
                new { name = "list_apps" },
                new { name = "get_app", arguments = new { app = "shop" } },
                new { name = "get_env", arguments = new { app = "shop" } },
                setGreeting,
            },
            resource = "nuage://variables/schema",
            prompt = new { name = "answering_style" },
        };

        var admin = await RunAsync(server, Stdio(server, server.AdminToken), plan);
        var asViewer = await RunAsync(server, Stdio(server, viewer), new { calls = new object[] { new { name = "list_apps" }, setGreeting } });

        AssertHealthy(admin, expectedTools: McpToolCatalog.ReadOnlyByName.Count);
        Assert.All(admin.GetProperty("calls").EnumerateArray(), c => Assert.False(c.GetProperty("isError").GetBoolean(), c.ToString()));
        Assert.Contains("json-schema.org", admin.GetProperty("resource").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, admin.GetProperty("prompt").GetProperty("messages").GetArrayLength());
        AssertHealthy(asViewer, expectedTools: McpToolCatalog.ReadOnlyByName.Count(t => t.Value));
        var refused = asViewer.GetProperty("calls")[1];
        Assert.True(refused.GetProperty("isError").GetBoolean(), refused.ToString());
        Assert.Equal("FORBIDDEN", refused.GetProperty("structuredContent").GetProperty("code").GetString());
        Assert.Equal("hi", (await McpHarness.GetEnvAsync(server, "shop"))["GREETING"]);
    }

    private static string[] Stdio(RunningServer server, string token)
    {
        // The driver passes its own environment to the child: NUAGE_URL and NUAGE_TOKEN are set per run in RunAsync.
        var nuage = Path.Combine(AppContext.BaseDirectory, "nuage.dll");
        return ["stdio", "dotnet", JsonSerializer.Serialize(new[] { nuage, "mcp" }), "NUAGE_URL=" + server.Url, "NUAGE_TOKEN=" + token];
    }

    private static JsonElement Data(JsonElement call) => call.GetProperty("structuredContent").GetProperty("data");

    /// <summary>The client connected, listed the tools (all with schemas it accepted), and no call, read or prompt threw.</summary>
    private static void AssertHealthy(JsonElement report, int expectedTools)
    {
        Assert.True(report.GetProperty("error").ValueKind == JsonValueKind.Null, report.ToString());
        Assert.StartsWith("1.", report.GetProperty("sdkVersion").GetString(), StringComparison.Ordinal);
        Assert.Equal("nuage", report.GetProperty("server").GetProperty("name").GetString());
        Assert.Equal(expectedTools, report.GetProperty("tools").GetArrayLength());
        Assert.Equal(0, report.GetProperty("booleanSubschemas").GetArrayLength());
        foreach (var call in report.GetProperty("calls").EnumerateArray())
        {
            Assert.False(call.TryGetProperty("error", out _), call.ToString());
        }

        foreach (var part in new[] { "resource", "prompt" })
        {
            var value = report.GetProperty(part);
            Assert.False(value.ValueKind == JsonValueKind.Object && value.TryGetProperty("error", out _), value.ToString());
        }
    }

    private static async Task<JsonElement> RunAsync(RunningServer server, string[] arguments, object plan)
    {
        var tools = Path.Combine(McpHarness.RepositoryRoot(), "tools");
        Assert.True(Directory.Exists(Path.Combine(tools, "node_modules", "@modelcontextprotocol", "sdk")), "the TypeScript SDK is missing: run scripts/install-deps (npm ci in tools/).");
        var planPath = Path.Combine(server.Scratch, $"ts-plan-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(planPath, JsonSerializer.Serialize(plan));
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = server.Scratch };
        start.ArgumentList.Add(Path.Combine(tools, "mcp-ts-sdk-client.mjs"));
        foreach (var argument in arguments.Take(3))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(planPath);
        foreach (var variable in arguments.Skip(3))
        {
            var (name, value) = (variable[..variable.IndexOf('=', StringComparison.Ordinal)], variable[(variable.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var result = new CliResult(process.ExitCode, await output, await error);
        var line = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        Assert.True(line is not null && line.StartsWith('{'), result.ToString());
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
