using System.Globalization;
using Nuage.FunctionalTests.Infrastructure;
using Nuage.FunctionalTests.Mcp;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>
/// An external PostgreSQL (a second real server started by the test, not by Nuage) registered through the MCP
/// create_addon tool, linked to a running app: on a terminal `addon link` asks to restart it, `--restart` restarts it
/// through the health-gated path, and the app then reads and writes the external database with the injected variables.
/// Runs with --insecure-host-network (see PostgresAddonTests): the external server listens on the host's loopback.
/// </summary>
public sealed class AddonExternalLinkTests
{
    [Fact]
    public async Task ExternalPostgres_CreatedThroughMcp_LinkedWithRestart_RunningAppReadsTheInjectedVariables()
    {
        await using var server = await RunningServer.StartAsync(o => o with { InsecureHostNetwork = true });
        await using var external = await ExternalPostgres.StartAsync();
        Assert.Equal(0, (await external.PsqlAsync("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('from-elsewhere');")).Code);
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("create", "notes", "-t", "python")).ExitCode);
        await Deployer.DeployOkAsync(server, "notes", WriteNotesApp(server, "postgresql"));

        await using (var mcp = await McpHarness.ConnectAsync(server))
        {
            var created = (await mcp.CallAsync("create_addon", new { name = "ext-db", type = "postgresql", external = external.Url })).Ok();
            Assert.Equal("external", created.Data.GetProperty("status").GetString());
            Assert.True(created.Data.GetProperty("answers").GetBoolean());
            Assert.DoesNotContain(ExternalPostgres.Password, created.Text, StringComparison.Ordinal);
            (await mcp.CallAsync("create_addon", new { name = "ext-bad", type = "mysql", external = external.Url })).Failed("INVALID_ARGUMENT");
        }

        // On a terminal the link asks; "n" leaves the running instances without the variables, and says so.
        var asked = await cli.RunInteractiveAsync("n\n", "addon", "link", "ext-db", "--app", "notes");
        Assert.True(asked.ExitCode == 0, asked.ToString());
        Assert.Contains("Restart it now (health-gated, no downtime)? [y/N]", asked.Output, StringComparison.Ordinal);
        Assert.Contains("they get them on its next deploy or restart", asked.Output, StringComparison.Ordinal);

        var both = await cli.RunAsync("addon", "link", "ext-db", "--app", "notes", "--restart", "--no-restart");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--restart, --no-restart", both.Error, StringComparison.Ordinal);

        var restarted = await cli.RunAsync("addon", "link", "ext-db", "--app", "notes", "--restart");
        Assert.True(restarted.ExitCode == 0, restarted.ToString());
        Assert.Contains("restarted (health-gated, no downtime)", restarted.Output, StringComparison.Ordinal);

        var read = await Deployer.GetAppAsync(server, "notes", "/read");
        Assert.True(read.Status == 200 && read.Body.Contains("from-elsewhere", StringComparison.Ordinal), read.Body);
        Assert.Equal(200, (await Deployer.GetAppAsync(server, "notes", "/write?note=via-app")).Status);
        Assert.Equal("from-elsewhere\nvia-app", (await external.PsqlAsync("SELECT body FROM notes ORDER BY body;")).Output.Trim());
    }

    /// <summary>A PostgreSQL 15 cluster run as the postgres user in a temporary folder, with scram-sha-256 and a database "shop".</summary>
    private sealed class ExternalPostgres : IAsyncDisposable
    {
        public const string Password = "extPgSecret42";
        private const string Bin = "/usr/lib/postgresql/15/bin";
        private readonly string _dir;
        private readonly int _port;

        private ExternalPostgres(string dir, int port) => (_dir, _port) = (dir, port);

        public string Url => $"postgres://shop:{Password}@127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}/shop";

        public static async Task<ExternalPostgres> StartAsync()
        {
            var dir = Directory.CreateTempSubdirectory("nuage-extpg-").FullName;
            var port = FreePort();
            var pg = new ExternalPostgres(dir, port);
            await File.WriteAllTextAsync(Path.Combine(dir, "pw"), Password + "\n");
            Assert.Equal(0, (await RunAsync("chown", null, "-R", "postgres:postgres", dir)).Code);
            var init = await RunAsync("runuser", null, "-u", "postgres", "--", Bin + "/initdb", "-D", Path.Combine(dir, "data"), "-U", "shop", "--pwfile=" + Path.Combine(dir, "pw"),
                "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions");
            Assert.True(init.Code == 0, init.Output);
            var start = await RunAsync("runuser", null, "-u", "postgres", "--", Bin + "/pg_ctl", "-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-t", "120",
                "-o", $"-p {port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -k {dir}", "start");
            Assert.True(start.Code == 0, start.Output);
            Assert.Equal(0, (await pg.PsqlAsync("CREATE DATABASE shop;", "postgres")).Code);
            return pg;
        }

        public Task<(int Code, string Output)> PsqlAsync(string sql, string database = "shop") =>
            RunAsync("psql", new Dictionary<string, string> { ["PGPASSWORD"] = Password }, "-h", "127.0.0.1", "-p", _port.ToString(CultureInfo.InvariantCulture),
                "-U", "shop", "-d", database, "-w", "-tAc", sql);

        public async ValueTask DisposeAsync()
        {
            await RunAsync("runuser", null, "-u", "postgres", "--", Bin + "/pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "immediate", "stop");
            Directory.Delete(_dir, recursive: true);
        }
    }
}
