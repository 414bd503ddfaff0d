using System.Diagnostics;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Mcp;

/// <summary>
/// A third-party client: the MCP Inspector's CLI mode (npm @modelcontextprotocol/inspector, installed in tools/ by
/// scripts/install-deps) against /mcp over HTTP with a token, and against 'nuage mcp' over stdio. It exits non-zero
/// when a call fails or a tool result has isError.
/// </summary>
public sealed class InspectorCliTests
{
    [Fact]
    public async Task Inspector_OverHttpWithToken_ListsAndCallsTools()
    {
        await using var server = await RunningServer.StartAsync();
        await McpHarness.CreateAppAsync(server, "shop");
        string[] target = [server.Url + "/mcp", "--transport", "http", "--header", "Authorization: Bearer " + server.AdminToken];

        var list = await RunInspectorAsync(server, [.. target, "--method", "tools/list"]);
        var call = await RunInspectorAsync(server, [.. target, "--method", "tools/call", "--tool-name", "get_app", "--tool-arg", "app=shop"]);
        var missing = await RunInspectorAsync(server, [.. target, "--method", "tools/call", "--tool-name", "get_app", "--tool-arg", "app=nope"]);
        var noToken = await RunInspectorAsync(server, [server.Url + "/mcp", "--transport", "http", "--method", "tools/list"]);

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("\"list_apps\"", list.Output, StringComparison.Ordinal);
        Assert.Contains("\"restart_app\"", list.Output, StringComparison.Ordinal);
        Assert.True(call.ExitCode == 0, call.ToString());
        Assert.Contains("shop is created", call.Output, StringComparison.Ordinal);
        Assert.True(missing.ExitCode != 0, missing.ToString());
        Assert.True(noToken.ExitCode != 0, noToken.ToString());
    }

    [Fact]
    public async Task Inspector_OverStdioThroughNuageMcp_ListsAndCallsToolsWithTheCliToken()
    {
        await using var server = await RunningServer.StartAsync();
        await McpHarness.CreateAppAsync(server, "shop");
        var viewer = await McpHarness.CreateTokenAsync(server, "viewer");
        var nuage = Path.Combine(AppContext.BaseDirectory, "nuage.dll");
        string[] Stdio(string token) => ["-e", "NUAGE_URL=" + server.Url, "-e", "NUAGE_TOKEN=" + token, "--", "dotnet", nuage, "mcp"];

        var list = await RunInspectorAsync(server, ["--method", "tools/list", .. Stdio(server.AdminToken)]);
        var call = await RunInspectorAsync(server, ["--method", "tools/call", "--tool-name", "list_apps", .. Stdio(server.AdminToken)]);
        var viewerList = await RunInspectorAsync(server, ["--method", "tools/list", .. Stdio(viewer)]);
        var viewerSet = await RunInspectorAsync(server, ["--method", "tools/call", "--tool-name", "set_env", "--tool-arg", "app=shop", "name=GREETING", "value=hi", .. Stdio(viewer)]);

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("\"deploy\"", list.Output, StringComparison.Ordinal);
        Assert.True(call.ExitCode == 0, call.ToString());
        Assert.Contains("shop (created)", call.Output, StringComparison.Ordinal);
        Assert.True(viewerList.ExitCode == 0, viewerList.ToString());
        Assert.DoesNotContain("\"deploy\"", viewerList.Output, StringComparison.Ordinal);
        Assert.True(viewerSet.ExitCode != 0, viewerSet.ToString());
        Assert.Empty(await McpHarness.GetEnvAsync(server, "shop"));
    }

    private static async Task<CliResult> RunInspectorAsync(RunningServer server, string[] arguments)
    {
        var inspector = Path.Combine(McpHarness.RepositoryRoot(), "tools", "node_modules", ".bin", "mcp-inspector");
        Assert.True(File.Exists(inspector), $"{inspector} is missing: run scripts/install-deps (npm ci in tools/).");
        var start = new ProcessStartInfo(inspector) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = server.Scratch };
        start.ArgumentList.Add("--cli");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MCP_CATALOG_PATH"] = Path.Combine(server.Scratch, "inspector-catalog.json");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }
}
