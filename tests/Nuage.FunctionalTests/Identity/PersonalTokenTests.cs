using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Nuage.Core.Auth;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Identity;

public sealed class PersonalTokenTests
{
    [Fact]
    public async Task MemberToken_CannotExceedItsOwnersRole_AndFollowsDemotionAndRemovalAtOnce()
    {
        await using var server = await RunningServer.StartAsync();
        var world = await IdentityWorld.CreateAsync(server);
        var developerEmail = IdentityWorld.Email(IdentityWorld.OrgA, Role.Developer);
        using var developer = server.Http(world.Token(IdentityWorld.OrgA, Role.Developer));

        // Higher than the owner: refused, naming the field and the ceiling.
        using var tooHigh = await developer.PostAsJsonAsync("v1/tokens", new { role = "admin" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooHigh.StatusCode);
        Assert.Contains("at most developer", await tooHigh.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Their own token, at their role: it works, is theirs, and records its use.
        using var created = await IdentityWorld.PostAsync(developer, "v1/tokens", new { role = "developer", description = "laptop" });
        var secret = created.RootElement.GetProperty("secret").GetString()!;
        Assert.Equal(developerEmail, created.RootElement.GetProperty("token").GetProperty("user").GetString());
        using var own = server.Http(secret);
        Assert.Equal(HttpStatusCode.Created, (await own.PostAsJsonAsync("v1/apps", new { name = "dev-made", runtime = "node" })).StatusCode);
        var listed = JsonDocument.Parse(await developer.GetStringAsync("v1/tokens")).RootElement.EnumerateArray().ToList();
        Assert.All(listed, t => Assert.Equal(developerEmail, t.GetProperty("user").GetString()));
        Assert.Contains(listed, t => t.GetProperty("description").GetString() == "laptop" && t.GetProperty("lastUsedAt").ValueKind == JsonValueKind.String);

        // Another member's token is not even visible.
        var adminTokenId = JsonDocument.Parse(await server.Http(world.Token(IdentityWorld.OrgA, Role.Admin)).GetStringAsync("v1/whoami")).RootElement.GetProperty("tokenId").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await developer.DeleteAsync($"v1/tokens/{adminTokenId}")).StatusCode);

        // Demoted to viewer: the existing token acts as a viewer from the next request.
        using var op = server.Http();
        (await op.PutAsJsonAsync($"v1/orgs/{IdentityWorld.OrgA}/members/{developerEmail}", new { role = "viewer" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await own.PostAsJsonAsync("v1/apps", new { name = "dev-made-2", runtime = "node" })).StatusCode);
        Assert.Equal("viewer", JsonDocument.Parse(await own.GetStringAsync("v1/whoami")).RootElement.GetProperty("role").GetString());

        // Removed: every token of theirs in the organisation stops working.
        (await op.DeleteAsync($"v1/orgs/{IdentityWorld.OrgA}/members/{developerEmail}")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await own.GetAsync("v1/apps")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await developer.GetAsync("v1/apps")).StatusCode);
    }

    [Fact]
    public async Task BootstrapToken_IsTheOperator_AndTokensAreStoredHashedWithExpiry()
    {
        await using var server = await RunningServer.StartAsync();
        using var op = server.Http();
        var me = JsonDocument.Parse(await op.GetStringAsync("v1/whoami")).RootElement;
        Assert.True(me.GetProperty("operator").GetBoolean());

        using var expired = await op.PostAsJsonAsync("v1/tokens", new { role = "viewer", expiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, expired.StatusCode);
        Assert.Contains("expiresAt", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var created = await IdentityWorld.PostAsync(op, "v1/tokens", new { role = "developer", expiresAt = DateTimeOffset.UtcNow.AddDays(1) });
        var secret = created.RootElement.GetProperty("secret").GetString()!;
        Assert.Equal("default", created.RootElement.GetProperty("token").GetProperty("org").GetString());
        await using var connection = new SqliteConnection($"Data Source={server.Server.Paths.Database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM tokens WHERE secret_hash LIKE '%' || $s || '%' OR description LIKE '%' || $s || '%';";
        command.Parameters.AddWithValue("$s", secret[6..]);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);

        // An operator token can only be made by the operator.
        using var developer = server.Http(secret);
        using var escalate = await developer.PostAsJsonAsync("v1/tokens", new { role = "admin", @operator = true });
        Assert.Equal(HttpStatusCode.Forbidden, escalate.StatusCode);
    }
}
