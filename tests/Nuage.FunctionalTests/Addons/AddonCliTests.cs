using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>
/// `nuage addon …` end to end with real Redis and MariaDB servers, and apps that write and read through the variables
/// the link injects. Host network for the data path: see <see cref="PostgresAddonTests"/> for why.
/// </summary>
public sealed class AddonCliTests
{
    [Fact]
    public async Task BadInput_ExitsTwo_NamingFieldValueAndAccepted_AndTakenNameIsConflict()
    {
        await using var server = await RunningServer.StartAsync(o => o with { InsecureHostNetwork = true });
        var cli = server.Cli();

        var badType = await cli.RunAsync("addon", "create", "db1", "--type", "oracle");
        Assert.Equal(2, badType.ExitCode);
        Assert.Contains("type", badType.Error, StringComparison.Ordinal);
        Assert.Contains("oracle", badType.Error, StringComparison.Ordinal);
        Assert.Contains("postgresql, mysql, redis", badType.Error, StringComparison.Ordinal);

        var badPlan = await cli.RunAsync("addon", "create", "db1", "--type", "redis", "--plan", "huge", "--version", "1.0");
        Assert.Equal(2, badPlan.ExitCode);
        Assert.Contains("plan: \"huge\"", badPlan.Error, StringComparison.Ordinal);
        Assert.Contains("xs, s, m, l", badPlan.Error, StringComparison.Ordinal);
        Assert.Contains("7.0", badPlan.Error, StringComparison.Ordinal); // the accepted redis versions

        var badName = await cli.RunAsync("addon", "create", "Bad_Name", "--type", "redis");
        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("name", badName.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await cli.RunAsync("addon", "create", "cache", "--type", "redis")).ExitCode);
        var taken = await cli.RunAsync("addon", "create", "cache", "--type", "postgresql");
        Assert.Equal(2, taken.ExitCode); // a conflict (409) exits as invalid input, like every conflict
        Assert.Contains("already exists", taken.Error, StringComparison.Ordinal);
        using (var http = server.Http())
        using (var response = await http.PostAsync("v1/addons", new StringContent("""{"name":"cache","type":"redis"}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(409, (int)response.StatusCode);
            Assert.Contains("addon_exists", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var missing = await cli.RunAsync("addon", "status", "nope");
        Assert.Equal(3, missing.ExitCode);

        var plans = await cli.RunAsync("addon", "plans", "--json");
        Assert.Equal(0, plans.ExitCode);
        var catalog = JsonDocument.Parse(plans.Output).RootElement;
        Assert.Equal(3, catalog.GetProperty("types").GetArrayLength());
        Assert.Contains(catalog.GetProperty("plans").EnumerateArray(), p => p.GetProperty("name").GetString() == "xs");

        var refused = await cli.RunAsync("addon", "delete", "cache");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--yes", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("addon", "delete", "cache", "--yes")).ExitCode);
        Assert.Equal("[]", (await cli.RunAsync("addon", "list", "--json")).Output.Trim());
    }

    [Fact]
    public async Task RedisAndMySql_LinkedApps_WriteAndRead_EnvShowsLinkedVariables_DeleteListsLinks()
    {
        await using var server = await RunningServer.StartAsync(o => o with { InsecureHostNetwork = true });
        var cli = server.Cli();
        foreach (var (addon, type) in new[] { ("cache", "redis"), ("shop-db", "mysql") })
        {
            var created = await cli.RunAsync("addon", "create", addon, "--type", type, "--json");
            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.Equal("running", JsonDocument.Parse(created.Output).RootElement.GetProperty("status").GetString());
        }

        foreach (var (app, addon, kind) in new[] { ("redis-app", "cache", "redis"), ("mysql-app", "shop-db", "mysql") })
        {
            Assert.Equal(0, (await cli.RunAsync("create", app, "-t", "python")).ExitCode);
            var linked = await cli.RunAsync("addon", "link", addon, "--app", app);
            Assert.True(linked.ExitCode == 0, linked.ToString());
            await Deployer.DeployOkAsync(server, app, WriteNotesApp(server, kind));
            var write = await Deployer.GetAppAsync(server, app, "/write?note=hello");
            Assert.True(write.Status == 200, write.Body);
            var read = await Deployer.GetAppAsync(server, app, "/read");
            Assert.True(read.Status == 200 && read.Body.Contains("hello", StringComparison.Ordinal), read.Body);
        }

        var env = await cli.RunAsync("env", "--app", "redis-app");
        Assert.Contains("REDIS_URL=redis://", env.Output, StringComparison.Ordinal);
        Assert.Contains("# from add-on cache (read-only)", env.Output, StringComparison.Ordinal);
        var mysqlEnv = await cli.RunAsync("env", "--app", "mysql-app");
        Assert.Contains("MYSQL_ADDON_URI=mysql://", mysqlEnv.Output, StringComparison.Ordinal);

        var status = await cli.RunAsync("addon", "status", "shop-db");
        Assert.Contains("linked:   mysql-app", status.Output, StringComparison.Ordinal);
        Assert.Contains("status:   running", status.Output, StringComparison.Ordinal);

        var refused = await cli.RunAsync("addon", "delete", "cache");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("unlinks redis-app", refused.Error, StringComparison.Ordinal);
        var deleted = await cli.RunAsync("addon", "delete", "cache", "--yes", "--json");
        Assert.Equal(["redis-app"], JsonDocument.Parse(deleted.Output).RootElement.GetProperty("unlinkedApps").EnumerateArray().Select(a => a.GetString()!));
    }

    [Fact]
    public async Task CredentialsRotate_OldPasswordRefused_NewOneWorks_AlsoAfterAnAddonRestart()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "cache", "redis");
        await CreateAsync(server, "orders", "postgresql");
        var cli = server.Cli();
        var before = await CredentialsAsync(server, "cache");
        var pgBefore = await CredentialsAsync(server, "orders");

        var rotated = await cli.RunAsync("addon", "credentials", "cache", "--rotate", "--json");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        var after = await CredentialsAsync(server, "cache");
        Assert.NotEqual(before["REDIS_PASSWORD"], after["REDIS_PASSWORD"]);
        Assert.Contains(after["REDIS_PASSWORD"], rotated.Output, StringComparison.Ordinal);
        string[] target = ["-h", after["REDIS_HOST"], "-p", after["REDIS_PORT"], "PING"];
        Assert.DoesNotContain("PONG", (await RunAsync("redis-cli", new Dictionary<string, string> { ["REDISCLI_AUTH"] = before["REDIS_PASSWORD"] }, target)).Output, StringComparison.Ordinal);
        Assert.Contains("PONG", (await RunAsync("redis-cli", new Dictionary<string, string> { ["REDISCLI_AUTH"] = after["REDIS_PASSWORD"] }, target)).Output, StringComparison.Ordinal);

        Assert.Equal(0, (await cli.RunAsync("addon", "restart", "cache")).ExitCode);
        Assert.Contains("PONG", (await RunAsync("redis-cli", new Dictionary<string, string> { ["REDISCLI_AUTH"] = after["REDIS_PASSWORD"] }, target)).Output, StringComparison.Ordinal);

        Assert.Equal(0, (await cli.RunAsync("addon", "credentials", "orders", "--rotate")).ExitCode);
        var pgAfter = await CredentialsAsync(server, "orders");
        Assert.NotEqual(0, (await PsqlAsync(pgBefore, "SELECT 1")).Code);
        Assert.Equal(0, (await PsqlAsync(pgAfter, "SELECT 1")).Code);
    }
}
