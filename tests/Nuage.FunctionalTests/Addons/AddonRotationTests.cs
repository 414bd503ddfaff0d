using System.Net.Http.Json;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>
/// `nuage addon credentials --rotate` under load: a real app linked to a real PostgreSQL add-on answers requests that
/// each open a new database connection, while the rotation adds a second credential, restarts the app through the
/// health-gated path and revokes the old one. Host network for the data path (see <see cref="PostgresAddonTests"/>).
/// </summary>
public sealed class AddonRotationTests
{
    [Fact]
    public async Task Rotate_WhileLinkedAppServesQueries_NoRequestFails_OldCredentialRefused_NewWorks()
    {
        await using var server = await RunningServer.StartAsync(o => o with { InsecureHostNetwork = true });
        await CreateAsync(server, "rot-db", "postgresql");
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "rot", "-t", "python")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("addon", "link", "rot-db", "--app", "rot")).ExitCode);
        await Deployer.DeployOkAsync(server, "rot", WriteNotesApp(server, "postgresql"));
        Assert.Equal(200, (await Deployer.GetAppAsync(server, "rot", "/write?note=seed")).Status);
        var before = await CredentialsAsync(server, "rot-db");

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5)); // bounded whatever happens
        var failures = new List<string>();
        var requests = 0;
        var afterRotation = -1;
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && (afterRotation < 0 || requests < afterRotation + 20))
            {
                var (status, body) = await Deployer.GetAppAsync(server, "rot", "/read");
                Interlocked.Increment(ref requests);
                if (status != 200 || !body.Contains("seed", StringComparison.Ordinal))
                {
                    lock (failures)
                    {
                        failures.Add($"{status}: {body}");
                    }
                }
            }
        });
        while (Volatile.Read(ref requests) < 5)
        {
            await Task.Delay(50);
        }

        var rotated = await cli.RunAsync("addon", "credentials", "rot-db", "--rotate", "--json");
        Volatile.Write(ref afterRotation, Volatile.Read(ref requests));
        await load;

        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        var result = JsonDocument.Parse(rotated.Output).RootElement;
        Assert.Equal(["rot"], result.GetProperty("restartedApps").EnumerateArray().Select(a => a.GetString()!));
        Assert.True(result.GetProperty("oldCredentialRevoked").GetBoolean());
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests failed during the rotation: {string.Join(" | ", failures.Take(3))}");
        Assert.True(requests >= 25, $"only {requests} requests ran");

        var after = await CredentialsAsync(server, "rot-db");
        Assert.NotEqual(before["POSTGRESQL_ADDON_PASSWORD"], after["POSTGRESQL_ADDON_PASSWORD"]);
        Assert.NotEqual(0, (await PsqlAsync(before, "SELECT 1")).Code);
        Assert.Equal(0, (await PsqlAsync(after, "SELECT 1")).Code);
        using (var http = server.Http())
        {
            var env = await http.GetFromJsonAsync<JsonElement>("v1/apps/rot/env");
            Assert.Contains(after["POSTGRESQL_ADDON_USER"], env.GetRawText(), StringComparison.Ordinal);
        }

        // A second rotation drops the first added login role; the table made through the owner stays readable.
        Assert.Equal(0, (await cli.RunAsync("addon", "credentials", "rot-db", "--rotate")).ExitCode);
        var third = await CredentialsAsync(server, "rot-db");
        Assert.NotEqual(0, (await PsqlAsync(after, "SELECT 1")).Code);
        Assert.Equal("seed", (await PsqlAsync(third, "SELECT body FROM notes;")).Output.Trim());
        Assert.Equal(0, (await PsqlAsync(third, "CREATE TABLE later (id int);")).Code);
        var read = await Deployer.GetAppAsync(server, "rot", "/write?note=zz");
        Assert.True(read.Status == 200, read.Body);
    }

    [Fact]
    public async Task Rotate_MariaDbAndRedis_BothCredentialsWorkUntilRevoked_ThenOnlyTheNewOne()
    {
        await using var server = await RunningServer.StartAsync(o => o with { InsecureHostNetwork = true });
        await CreateAsync(server, "shop", "mysql");
        await CreateAsync(server, "cache", "redis");
        var cli = server.Cli();
        var before = await CredentialsAsync(server, "shop");
        Assert.Equal(0, (await MariaDbAsync(before, "CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept');")).Code);

        var rotated = await cli.RunAsync("addon", "credentials", "shop", "--rotate", "--json");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        var after = await CredentialsAsync(server, "shop");
        Assert.NotEqual(before["MYSQL_ADDON_USER"], after["MYSQL_ADDON_USER"]); // a second user: MariaDB 10.11 has no dual passwords
        Assert.NotEqual(0, (await MariaDbAsync(before, "SELECT 1")).Code);
        Assert.Equal("kept", (await MariaDbAsync(after, "SELECT v FROM t")).Output.Trim());
        Assert.Equal(0, (await cli.RunAsync("addon", "credentials", "shop", "--rotate")).ExitCode);
        Assert.Equal("kept", (await MariaDbAsync(await CredentialsAsync(server, "shop"), "SELECT v FROM t")).Output.Trim());

        var redisBefore = await CredentialsAsync(server, "cache");
        Assert.Equal(0, (await cli.RunAsync("addon", "credentials", "cache", "--rotate")).ExitCode);
        var redisAfter = await CredentialsAsync(server, "cache");
        string[] target = ["-h", redisAfter["REDIS_HOST"], "-p", redisAfter["REDIS_PORT"], "PING"];
        Assert.DoesNotContain("PONG", (await RunAsync("redis-cli", new Dictionary<string, string> { ["REDISCLI_AUTH"] = redisBefore["REDIS_PASSWORD"] }, target)).Output, StringComparison.Ordinal);
        Assert.Contains("PONG", (await RunAsync("redis-cli", new Dictionary<string, string> { ["REDISCLI_AUTH"] = redisAfter["REDIS_PASSWORD"] }, target)).Output, StringComparison.Ordinal);
    }
}
