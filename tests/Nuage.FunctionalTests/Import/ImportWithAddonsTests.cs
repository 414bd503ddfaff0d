using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;
using static Nuage.FunctionalTests.Apply.ApplyRoundTripTests;

namespace Nuage.FunctionalTests.Import;

/// <summary>
/// 'nuage import clever|heroku --with-addons': the old platform's databases are live add-ons of the same server (real
/// PostgreSQL and Redis reached by URL, as Clever Cloud's or Heroku's would be); their variables make the import create
/// matching add-ons, link them and copy the data, with row counts in the report.
/// </summary>
public sealed class ImportWithAddonsTests
{
    [Fact]
    public async Task ImportClever_WithAddons_CreatesLinksAndCopiesThePostgresData_AndAFailedCopyIsReported()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "clever-old-pg", "postgresql");
        var old = await CredentialsAsync(server, "clever-old-pg");
        Assert.Equal(0, (await PsqlAsync(old, "CREATE TABLE posts (title TEXT); INSERT INTO posts VALUES ('first'), ('second'), ('third');")).Code);
        var dir = Path.Combine(server.Scratch, "clever-app");
        Directory.CreateDirectory(dir);
        var env = string.Join('\n', old.Where(v => v.Key.StartsWith("POSTGRESQL_ADDON_", StringComparison.Ordinal)).Select(v => $"{v.Key}=\"{v.Value}\"").Append("GREETING=\"salut\""));
        await File.WriteAllTextAsync(Path.Combine(dir, "clever-env.txt"), "# Addon blog-db (postgresql-1234)\n" + env + "\n");

        var result = await Ok(server.Cli(workingDirectory: dir), "import", "clever", "--env", "clever-env.txt", "--app", "blog", "--runtime", "node", "--with-addons");

        Assert.Contains("postgresql add-on blog-postgresql, created and linked (--with-addons)", result.Output, StringComparison.Ordinal);
        Assert.Contains("data of add-on blog-postgresql: 1 table(s), 3 row(s) copied from POSTGRESQL_ADDON_URI and verified", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(old["POSTGRESQL_ADDON_PASSWORD"], result.Output, StringComparison.Ordinal);
        var copy = await CredentialsAsync(server, "blog-postgresql");
        Assert.Equal("first\nsecond\nthird", (await PsqlAsync(copy, "SELECT title FROM posts ORDER BY title;")).Output.Trim());
        var addon = JsonDocument.Parse((await Ok(server.Cli(), "addon", "status", "blog-postgresql", "--json")).Output).RootElement;
        Assert.Equal("blog", addon.GetProperty("linkedApps")[0].GetString());

        // The same env with a wrong password: the app and add-on are created, the copy fails and the report says so (exit 1).
        await File.WriteAllTextAsync(Path.Combine(dir, "clever-env.txt"), env.Replace(old["POSTGRESQL_ADDON_PASSWORD"], "wrong-password", StringComparison.Ordinal) + "\n");
        var failed = await server.Cli(workingDirectory: dir).RunAsync("import", "clever", "--env", "clever-env.txt", "--app", "blog2", "--runtime", "node", "--with-addons");
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains("data of add-on blog2-postgresql: the copy from POSTGRESQL_ADDON_URI failed", failed.Output, StringComparison.Ordinal);
        Assert.Contains("refused the credentials", failed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", failed.Output + failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportHeroku_WithAddons_CopiesRedisFromAppJsonAddonAndPostgresFromAnUndeclaredDatabaseUrl()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "heroku-old-pg", "postgresql");
        await CreateAsync(server, "heroku-old-redis", "redis");
        var pg = await CredentialsAsync(server, "heroku-old-pg");
        var redis = await CredentialsAsync(server, "heroku-old-redis");
        Assert.Equal(0, (await PsqlAsync(pg, "CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('ada'), ('linus');")).Code);
        var auth = new Dictionary<string, string> { ["REDISCLI_AUTH"] = redis["REDIS_PASSWORD"] };
        await RunAsync("redis-cli", auth, "-h", redis["REDIS_HOST"], "-p", redis["REDIS_PORT"], "MSET", "a", "1", "b", "2", "c", "3");
        var dir = Path.Combine(server.Scratch, "heroku-app");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "app.json"), """{ "name": "notes", "addons": ["heroku-redis:mini"] }""");
        await File.WriteAllTextAsync(Path.Combine(dir, "heroku-config.txt"),
            $"=== notes Config Vars\nDATABASE_URL: {pg["DATABASE_URL"]}\nREDIS_URL:    {redis["REDIS_URL"]}\nGREETING:     hi\n");

        var result = await Ok(server.Cli(workingDirectory: dir), "import", "heroku", "--config", "heroku-config.txt", "--runtime", "node", "--with-addons");

        Assert.Contains("postgresql add-on notes-postgresql, created and linked for DATABASE_URL (--with-addons)", result.Output, StringComparison.Ordinal);
        Assert.Contains("data of add-on notes-postgresql: 1 table(s), 2 row(s) copied from DATABASE_URL and verified", result.Output, StringComparison.Ordinal);
        Assert.Contains("data of add-on notes-redis: 1 table(s), 3 row(s) copied from REDIS_URL and verified", result.Output, StringComparison.Ordinal);
        var users = await CredentialsAsync(server, "notes-postgresql");
        Assert.Equal("2", (await PsqlAsync(users, "SELECT count(*) FROM users;")).Output.Trim());
        var env = (await Ok(server.Cli(), "env", "--app", "notes", "--json")).Output;
        Assert.DoesNotContain(pg["POSTGRESQL_ADDON_PASSWORD"], env, StringComparison.Ordinal); // the old URL is not kept as a variable
        Assert.Contains("GREETING", env, StringComparison.Ordinal);
    }
}
