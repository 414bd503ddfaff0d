using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>
/// A real PostgreSQL 15 add-on, supervised by the scheduler, linked to a real app. The data-path tests run with
/// --insecure-host-network: this machine is shared with other Nuage servers, and each server's firewall table drops
/// traffic between instances that it did not allow itself (nftables evaluates every table's forward chain), so an
/// app-to-add-on connection through isolation only works with one server per machine, as in production.
/// <see cref="AddonNetworkTests"/> checks the isolated path's firewall rules.
/// </summary>
public sealed class PostgresAddonTests
{
    [Fact]
    public async Task LinkedApp_WritesAndReads_AndDataSurvivesRedeployAddonRestartAndServerRestart()
    {
        await using var server = await RunningServer.StartAsync(o => o with { InsecureHostNetwork = true });
        var created = await CreateAsync(server, "notes-db", "postgresql");
        Assert.Equal("running", created.GetProperty("status").GetString());

        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "notes", "-t", "python")).ExitCode);
        using var http = server.Http();
        (await http.PostAsJsonAsync("v1/addons/notes-db/links", new { app = "notes" })).EnsureSuccessStatusCode();
        var app = WriteNotesApp(server, "postgresql");
        await Deployer.DeployOkAsync(server, "notes", app);

        Assert.Equal(200, (await Deployer.GetAppAsync(server, "notes", "/write?note=first")).Status);
        var read = await Deployer.GetAppAsync(server, "notes", "/read");
        Assert.True(read.Status == 200 && read.Body.Contains("first", StringComparison.Ordinal), read.Body);

        await Deployer.DeployOkAsync(server, "notes", app);
        Assert.Contains("first", (await Deployer.GetAppAsync(server, "notes", "/read")).Body, StringComparison.Ordinal);

        (await http.PostAsync("v1/addons/notes-db/restart", null)).EnsureSuccessStatusCode();
        Assert.Equal(200, (await Deployer.GetAppAsync(server, "notes", "/write?note=second")).Status);

        var pid = (await http.GetFromJsonAsync<JsonElement>("v1/addons/notes-db")).GetProperty("pid").GetInt32();
        await server.RestartAsync();
        var after = await server.Http().GetFromJsonAsync<JsonElement>("v1/addons/notes-db");
        Assert.Equal("running", after.GetProperty("status").GetString());
        Assert.Equal(pid, after.GetProperty("pid").GetInt32()); // re-adopted, not restarted
        var both = await Deployer.GetAppAsync(server, "notes", "/read");
        Assert.True(both.Body.Contains("first", StringComparison.Ordinal) && both.Body.Contains("second", StringComparison.Ordinal), both.Body);
    }

    [Fact]
    public async Task NodePostgresExample_WithThePgModule_StoresNotesInTheLinkedAddon()
    {
        await using var server = await RunningServer.StartAsync(o => o with { InsecureHostNetwork = true });
        await CreateAsync(server, "notes-db", "postgresql");
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "notes", "-t", "node")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("addon", "link", "notes-db", "--app", "notes")).ExitCode);
        await Deployer.DeployOkAsync(server, "notes", Deployer.Example("node-postgres"));

        using var client = new HttpClient();
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Server.RouterAddress, "/notes")) { Content = new StringContent("from node") };
        post.Headers.Host = "notes.localhost";
        using var added = await client.SendAsync(post);
        Assert.True((int)added.StatusCode == 201, await added.Content.ReadAsStringAsync());
        var listed = await Deployer.GetAppAsync(server, "notes", "/notes");
        Assert.True(listed.Body.Contains("from node", StringComparison.Ordinal), listed.Body);
        var stored = await PsqlAsync(await CredentialsAsync(server, "notes-db"), "SELECT body FROM notes;");
        Assert.Equal("from node", stored.Output.Trim());
    }
}
