using System.Formats.Tar;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Mcp;

/// <summary>Talks to a real server's /mcp with the SDK's own client, and sets up tokens, apps and deployments over the REST API.</summary>
internal static class McpHarness
{
    public static async Task<McpClient> ConnectAsync(RunningServer server, string? token = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Url + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + (token ?? server.AdminToken) },
        });
        return await McpClient.CreateAsync(transport);
    }

    public static async Task<string> CreateTokenAsync(RunningServer server, string role)
    {
        using var http = server.Http();
        using var response = await http.PostAsJsonAsync("v1/tokens", new { role, description = role + " for MCP tests" });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("secret").GetString()!;
    }

    public static async Task CreateAppAsync(RunningServer server, string name, string runtime = "node")
    {
        using var http = server.Http();
        using var response = await http.PostAsJsonAsync("v1/apps", new { name, runtime });
        response.EnsureSuccessStatusCode();
    }

    public static async Task SetEnvAsync(RunningServer server, string app, string name, string value)
    {
        using var http = server.Http();
        using var response = await http.PutAsJsonAsync($"v1/apps/{app}/env/{name}", new { value });
        response.EnsureSuccessStatusCode();
    }

    public static async Task<Dictionary<string, string>> GetEnvAsync(RunningServer server, string app)
    {
        using var http = server.Http();
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"v1/apps/{app}/env"));
        return doc.RootElement.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    /// <summary>Uploads a directory as a tar (like 'nuage deploy') and waits until the deployment finishes; returns its id and state.</summary>
    public static async Task<(string Id, string State)> DeployDirectoryAsync(RunningServer server, string app, string directory, string? commit = null)
    {
        using var tar = new MemoryStream();
        await TarFile.CreateFromDirectoryAsync(directory, tar, includeBaseDirectory: false);
        tar.Position = 0;
        using var http = server.Http();
        using var content = new StreamContent(tar);
        content.Headers.ContentType = new("application/x-tar");
        var query = commit is null ? string.Empty : "?commit=" + commit;
        using var response = await http.PostAsync($"v1/apps/{app}/deployments{query}", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        return (id, await WaitForDeploymentAsync(server, app, id));
    }

    public static async Task<string> WaitForDeploymentAsync(RunningServer server, string app, string id)
    {
        using var http = server.Http();
        for (var i = 0; i < 600; i++)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"v1/apps/{app}/deployments/{id}"));
            var state = doc.RootElement.GetProperty("state").GetString()!;
            if (state is "succeeded" or "failed" or "cancelled")
            {
                return state;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"deployment {id} of {app} did not finish within 150 s");
    }

    /// <summary>A copy of examples/NAME in a scratch directory, to modify before deploying.</summary>
    public static string CopyExample(RunningServer server, string name) => Deployer.CopyExample(server, name);

    public static string RepositoryRoot() => Deployer.RepoRoot;

    public static async Task<ToolOutcome> CallAsync(this McpClient client, string tool, object? arguments = null)
    {
        var args = arguments is null
            ? new Dictionary<string, object?>()
            : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
        var result = await client.CallToolAsync(tool, args);
        await ToolOutputSchemas.AssertMatchesAsync(client, tool, result);
        return ToolOutcome.From(result);
    }
}

/// <summary>A tool call's result as tests read it.</summary>
internal sealed record ToolOutcome(bool IsError, JsonElement Structured, string Text)
{
    public static ToolOutcome From(CallToolResult result) => new(
        result.IsError == true,
        result.StructuredContent ?? default,
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text)));

    public string? Code => Structured.ValueKind == JsonValueKind.Object && Structured.TryGetProperty("code", out var c) ? c.GetString() : null;

    public string Summary => Structured.GetProperty("summary").GetString()!;

    public JsonElement Data => Structured.GetProperty("data");

    public IEnumerable<string> NextTools => Structured.TryGetProperty("next", out var n) ? n.EnumerateArray().Select(x => x.GetProperty("tool").GetString()!) : [];

    public ToolOutcome Ok()
    {
        Assert.False(IsError, "tool failed: " + Text);
        return this;
    }

    public ToolOutcome Failed(string code)
    {
        Assert.True(IsError, $"expected {code}, got success: {Text}");
        Assert.Equal(code, Code);
        Assert.False(string.IsNullOrEmpty(Structured.GetProperty("message").GetString()));
        return this;
    }

    public override string ToString() => Text;
}
