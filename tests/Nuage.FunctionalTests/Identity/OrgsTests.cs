using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nuage.Core.Auth;
using Nuage.FunctionalTests.Infrastructure;

namespace Nuage.FunctionalTests.Identity;

public sealed class OrgsTests
{
    [Fact]
    public async Task OrgCommands_CreateUseMembersAndDelete_WorkEndToEndWithJson()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();

        Assert.Equal(0, (await cli.RunAsync("org", "create", "acme")).ExitCode);
        var listed = await cli.RunAsync("org", "list", "--json");
        Assert.Equal(0, listed.ExitCode);
        Assert.Equal(["acme", "default"], JsonDocument.Parse(listed.Output).RootElement.EnumerateArray().Select(o => o.GetProperty("name").GetString()).Order());

        var use = await cli.RunAsync("org", "use", "acme");
        Assert.Equal(0, use.ExitCode);
        Assert.Equal(0, (await cli.RunAsync("create", "acme-web", "-t", "node")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("org", "members", "add", "Ann@Acme.test", "--role", "admin", "--json")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("org", "members", "add", "bo@acme.test", "--role", "developer")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("org", "members", "set-role", "bo@acme.test", "--role", "viewer")).ExitCode);
        var members = await cli.RunAsync("org", "members", "list", "--json");
        Assert.Equal(0, members.ExitCode);
        var roles = JsonDocument.Parse(members.Output).RootElement.EnumerateArray()
            .ToDictionary(m => m.GetProperty("email").GetString()!, m => m.GetProperty("role").GetString());
        Assert.Equal("admin", roles["ann@acme.test"]);
        Assert.Equal("viewer", roles["bo@acme.test"]);
        Assert.Equal(0, (await cli.RunAsync("org", "members", "remove", "bo@acme.test")).ExitCode);

        // The current organisation narrows listings: default's apps are not shown while acting in acme.
        Assert.Equal(0, (await cli.RunAsync("org", "use", "default")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("create", "default-web", "-t", "node")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("org", "use", "acme")).ExitCode);
        var apps = await cli.RunAsync("apps", "--json");
        Assert.Equal(["acme-web"], JsonDocument.Parse(apps.Output).RootElement.EnumerateArray().Select(a => a.GetProperty("name").GetString()));

        // Add-ons belong to the organisation too, and do not show in another one.
        Assert.Equal(0, (await cli.RunAsync("addon", "create", "acme-cache", "--type", "redis")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("org", "use", "default")).ExitCode);
        Assert.Equal("[]", JsonDocument.Parse((await cli.RunAsync("addon", "list", "--json")).Output).RootElement.ToString());
        Assert.Equal(0, (await cli.RunAsync("org", "use", "acme")).ExitCode);

        // Deleting an organisation that owns apps or add-ons is refused, naming them; --yes deletes them too.
        var refused = await cli.RunAsync("org", "delete", "acme");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("acme-web", refused.Error, StringComparison.Ordinal);
        Assert.Contains("acme-cache", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("org", "use", "default")).ExitCode);
        var deleted = await cli.RunAsync("org", "delete", "acme", "--yes", "--json");
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(["acme-web"], JsonDocument.Parse(deleted.Output).RootElement.GetProperty("apps").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["acme-cache"], JsonDocument.Parse(deleted.Output).RootElement.GetProperty("addons").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(3, (await cli.RunAsync("org", "use", "acme")).ExitCode);
        using var http = server.Http();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("v1/apps/acme-web")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("v1/addons/acme-cache")).StatusCode);
    }

    [Fact]
    public async Task LastAdmin_CannotBeRemovedOrDemoted_ButCanOnceAnotherAdminExists()
    {
        await using var server = await RunningServer.StartAsync();
        using var op = server.Http();
        (await IdentityWorld.PostAsync(op, "v1/orgs", new { name = "solo" })).Dispose();
        (await IdentityWorld.PostAsync(op, "v1/orgs/solo/members", new { email = "only@solo.test", role = "admin" })).Dispose();

        using var remove = await op.DeleteAsync("v1/orgs/solo/members/only@solo.test");
        using var demote = await op.PutAsJsonAsync("v1/orgs/solo/members/only@solo.test", new { role = "developer" });

        Assert.Equal(HttpStatusCode.Conflict, remove.StatusCode);
        Assert.Contains("last_admin", await remove.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        (await IdentityWorld.PostAsync(op, "v1/orgs/solo/members", new { email = "second@solo.test", role = "admin" })).Dispose();
        using var removedNow = await op.DeleteAsync("v1/orgs/solo/members/only@solo.test");
        Assert.Equal(HttpStatusCode.NoContent, removedNow.StatusCode);
    }

    [Fact]
    public async Task Manager_AddsMembersBelowAdmin_ButCannotGrantOrTouchAdmin()
    {
        await using var server = await RunningServer.StartAsync();
        var world = await IdentityWorld.CreateAsync(server);
        using var manager = server.Http(world.Token(IdentityWorld.OrgA, Role.Manager));

        using var addDeveloper = await manager.PostAsJsonAsync("v1/orgs/org-a/members", new { email = "new@org-a.test", role = "developer" });
        using var addAdmin = await manager.PostAsJsonAsync("v1/orgs/org-a/members", new { email = "boss@org-a.test", role = "admin" });
        using var demoteAdmin = await manager.PutAsJsonAsync($"v1/orgs/org-a/members/{IdentityWorld.Email(IdentityWorld.OrgA, Role.Admin)}", new { role = "viewer" });
        using var otherOrg = await manager.PostAsJsonAsync("v1/orgs/org-b/members", new { email = "spy@org-b.test", role = "viewer" });

        Assert.Equal(HttpStatusCode.Created, addDeveloper.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, addAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, demoteAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherOrg.StatusCode);
    }
}
