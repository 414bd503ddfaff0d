using System.Net;
using System.Net.Http.Json;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Foundation;

public sealed class AuthTests
{
    [Fact]
    public async Task Request_WithoutToken_Is401WithProblemJson()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http(token: "");

        using var response = await http.GetAsync("v1/apps");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"code\":\"unauthorized\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_CreatingApp_Is403AndNothingIsCreated()
    {
        await using var server = await RunningServer.StartAsync();
        var viewer = await CreateTokenAsync(server, "viewer");

        var result = await server.Cli(viewer).RunAsync("create", "demo", "-t", "node");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("developer role", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, (await server.Cli().RunAsync("status", "--app", "demo")).ExitCode);
    }

    [Fact]
    public async Task DeveloperAutomationToken_CreatingTokens_IsForbidden()
    {
        // Since organisations (docs/identity.md) everyone lists their own tokens; making tokens for an
        // organisation (automation tokens, or for other members) stays an admin's job.
        await using var server = await RunningServer.StartAsync();
        var developer = await CreateTokenAsync(server, "developer");

        var result = await server.Cli(developer).RunAsync("tokens", "create", "--role", "viewer");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("admin role", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedToken_IsRefusedWith401()
    {
        await using var server = await RunningServer.StartAsync();
        var created = await server.Cli().RunAsync("tokens", "create", "--role", "developer", "--json");
        var secret = JsonField(created.Output, "secret");
        var id = JsonField(created.Output, "id");
        Assert.Equal(0, (await server.Cli(secret).RunAsync("apps")).ExitCode);

        Assert.Equal(0, (await server.Cli().RunAsync("tokens", "revoke", id)).ExitCode);
        var after = await server.Cli(secret).RunAsync("apps");

        Assert.Equal(4, after.ExitCode);
        Assert.Contains("revoked", after.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredToken_IsRefusedWith401()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Http();
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(1);
        using var create = await http.PostAsJsonAsync("v1/tokens", new { role = "viewer", expiresAt });
        var secret = JsonField(await create.Content.ReadAsStringAsync(), "secret");

        // Wait for the expiry to pass (no timing assertion: we only need the moment to be behind us).
        while (DateTimeOffset.UtcNow <= expiresAt)
        {
            await Task.Delay(100);
        }

        var result = await server.Cli(secret).RunAsync("apps");
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("expired", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownToken_IsRefused_AndWhoAmIShowsRoleForKnownOne()
    {
        await using var server = await RunningServer.StartAsync();

        Assert.Equal(4, (await server.Cli("nuage_not-a-real-token").RunAsync("whoami")).ExitCode);
        var me = await server.Cli().RunAsync("whoami");
        Assert.Equal(0, me.ExitCode);
        Assert.Contains("(admin)", me.Output, StringComparison.Ordinal);
    }

    internal static async Task<string> CreateTokenAsync(RunningServer server, string role)
    {
        var created = await server.Cli().RunAsync("tokens", "create", "--role", role, "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        return JsonField(created.Output, "secret");
    }

    internal static string JsonField(string json, string name)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return Find(doc.RootElement, name) ?? throw new InvalidOperationException($"no {name} in {json}");

        static string? Find(System.Text.Json.JsonElement element, string name)
        {
            if (element.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == name && property.Value.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    return property.Value.GetString();
                }

                if (Find(property.Value, name) is { } nested)
                {
                    return nested;
                }
            }

            return null;
        }
    }
}
