using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>
/// `nuage addon import NAME --from URL` with real servers: the source is a second add-on of the same server (a live
/// database reached by URL, as another cloud's would be). Rows are copied and counted per table; a bad URL is refused
/// naming the field without echoing the password; a failed load leaves the add-on's previous data in place.
/// </summary>
public sealed class AddonImportTests
{
    [Fact]
    public async Task Postgres_ImportFromLiveUrl_CopiesAndCountsTables_BadUrlsNameTheField_FailedLoadKeepsPreviousData()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "old-db", "postgresql");
        await CreateAsync(server, "new-db", "postgresql");
        var old = await CredentialsAsync(server, "old-db");
        var fresh = await CredentialsAsync(server, "new-db");
        Assert.Equal(0, (await PsqlAsync(old, "CREATE TABLE items (id INT PRIMARY KEY, name TEXT); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 250) g;"
            + "CREATE TABLE orders (id SERIAL PRIMARY KEY, item INT REFERENCES items(id)); INSERT INTO orders (item) VALUES (1), (2);")).Code);
        Assert.Equal(0, (await PsqlAsync(fresh, "CREATE TABLE kept (note TEXT); INSERT INTO kept VALUES ('mine');")).Code);
        var cli = server.Cli();
        var url = old["POSTGRESQL_ADDON_URI"];
        var password = old["POSTGRESQL_ADDON_PASSWORD"];

        var imported = await cli.RunAsync("addon", "import", "new-db", "--from", url, "--json");
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var report = JsonDocument.Parse(imported.Output).RootElement;
        var tables = report.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("importedRows").GetInt64());
        Assert.Equal(250, tables["public.items"]);
        Assert.Equal(2, tables["public.orders"]);
        Assert.DoesNotContain(password, imported.Output, StringComparison.Ordinal);
        Assert.Equal("250", (await PsqlAsync(fresh, "SELECT count(*) FROM items;")).Output.Trim());
        Assert.Equal("mine", (await PsqlAsync(fresh, "SELECT note FROM kept;")).Output.Trim()); // tables the source lacks stay
        Assert.Equal(0, (await PsqlAsync(fresh, "INSERT INTO orders (item) VALUES (3);")).Code); // the sequence came along
        var backups = await cli.RunAsync("addon", "backups", "new-db");
        Assert.Contains(report.GetProperty("safetyBackup").GetString()!, backups.Output, StringComparison.Ordinal);

        // A second import of the same source replaces the same tables (idempotent), with the text report.
        Assert.Equal(0, (await PsqlAsync(old, "INSERT INTO items VALUES (251, 'late');")).Code);
        var again = await cli.RunAsync("addon", "import", "new-db", "--from", url);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("public.items", again.Output, StringComparison.Ordinal);
        Assert.Contains("251", again.Output, StringComparison.Ordinal);
        Assert.Equal("2", (await PsqlAsync(fresh, "SELECT count(*) FROM orders;")).Output.Trim()); // replaced by the source's 2 rows

        var scheme = await cli.RunAsync("addon", "import", "new-db", "--from", url.Replace("postgresql://", "ftp://", StringComparison.Ordinal));
        Assert.Equal(2, scheme.ExitCode);
        Assert.Contains("from", scheme.Error, StringComparison.Ordinal);
        Assert.Contains("ftp", scheme.Error, StringComparison.Ordinal);
        Assert.Contains("postgres://", scheme.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(password, scheme.Error, StringComparison.Ordinal);

        var wrongType = await cli.RunAsync("addon", "import", "new-db", "--from", "redis://:x@127.0.0.1:6379/0");
        Assert.Equal(2, wrongType.ExitCode);
        Assert.Contains("is a redis URL", wrongType.Error, StringComparison.Ordinal);

        var refused = await cli.RunAsync("addon", "import", "new-db", "--from", url.Replace(Uri.EscapeDataString(password), "wrong-password", StringComparison.Ordinal));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused the credentials", refused.Error, StringComparison.Ordinal);
        Assert.Contains(old["POSTGRESQL_ADDON_USER"], refused.Error, StringComparison.Ordinal);

        var unreachable = await cli.RunAsync("addon", "import", "new-db", "--from", $"postgres://someone:secret-word@127.0.0.1:1/db");
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("unreachable", unreachable.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-word", unreachable.Error, StringComparison.Ordinal);

        // A view named like a source table makes the load fail halfway: the one transaction rolls back, nothing changes.
        Assert.Equal(0, (await PsqlAsync(fresh, "DROP TABLE orders; DROP TABLE items; CREATE VIEW items AS SELECT note FROM kept;")).Code);
        var failed = await cli.RunAsync("addon", "import", "new-db", "--from", url);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("previous data", failed.Error, StringComparison.Ordinal);
        Assert.Equal("mine", (await PsqlAsync(fresh, "SELECT note FROM items;")).Output.Trim());
        Assert.Equal(string.Empty, (await PsqlAsync(fresh, "SELECT to_regclass('public.orders');")).Output.Trim());
    }

    [Fact]
    public async Task MySqlAndRedis_ImportFromLiveUrl_CopiesWithCounts_FailedMySqlLoadPutsPreviousTablesBack_WrongRedisPasswordIsNamed()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "old-shop", "mysql");
        await CreateAsync(server, "shop", "mysql");
        await CreateAsync(server, "old-cache", "redis");
        await CreateAsync(server, "cache", "redis");
        var oldShop = await CredentialsAsync(server, "old-shop");
        var shop = await CredentialsAsync(server, "shop");
        var oldCache = await CredentialsAsync(server, "old-cache");
        var cache = await CredentialsAsync(server, "cache");
        var cli = server.Cli();

        Assert.Equal(0, (await MariaDbAsync(oldShop, "CREATE TABLE aaa_first (id INT); INSERT INTO aaa_first VALUES (1), (2), (3); CREATE TABLE items (name TEXT); INSERT INTO items VALUES ('a'), ('b');")).Code);
        Assert.Equal(0, (await MariaDbAsync(shop, "CREATE TABLE kept (note TEXT); INSERT INTO kept VALUES ('mine');")).Code);
        var imported = await cli.RunAsync("addon", "import", "shop", "--from", oldShop["MYSQL_ADDON_URI"], "--json");
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var tables = JsonDocument.Parse(imported.Output).RootElement.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("importedRows").GetInt64());
        Assert.Equal(3, tables["aaa_first"]);
        Assert.Equal(2, tables["items"]);
        Assert.Equal("a\nb", (await MariaDbAsync(shop, "SELECT name FROM items ORDER BY name;")).Output.Trim());

        // A view named like a source table stops the load after aaa_first was created: it is dropped again, kept stays.
        Assert.Equal(0, (await MariaDbAsync(shop, "DROP TABLE items, aaa_first; CREATE VIEW items AS SELECT note FROM kept;")).Code);
        var failed = await cli.RunAsync("addon", "import", "shop", "--from", oldShop["MYSQL_ADDON_URI"]);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("previous data", failed.Error, StringComparison.Ordinal);
        Assert.Equal("items\nkept", (await MariaDbAsync(shop, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1;")).Output.Trim());
        Assert.Equal("mine", (await MariaDbAsync(shop, "SELECT note FROM items;")).Output.Trim());

        var redisOld = new Dictionary<string, string> { ["REDISCLI_AUTH"] = oldCache["REDIS_PASSWORD"] };
        var redisNew = new Dictionary<string, string> { ["REDISCLI_AUTH"] = cache["REDIS_PASSWORD"] };
        string[] atOld = ["-h", oldCache["REDIS_HOST"], "-p", oldCache["REDIS_PORT"]];
        string[] atNew = ["-h", cache["REDIS_HOST"], "-p", cache["REDIS_PORT"]];
        await RunAsync("redis-cli", redisOld, [.. atOld, "EVAL", "for i=1,1200 do redis.call('SET', 'k'..i, i) end return 1", "0"]);
        await RunAsync("redis-cli", redisOld, [.. atOld, "RPUSH", "list", "x", "y"]);
        await RunAsync("redis-cli", redisOld, [.. atOld, "SET", "session", "s", "EX", "3600"]);
        await RunAsync("redis-cli", redisNew, [.. atNew, "SET", "mine", "kept"]);
        var keys = await cli.RunAsync("addon", "import", "cache", "--from", oldCache["REDIS_URL"], "--json");
        Assert.True(keys.ExitCode == 0, keys.ToString());
        var line = JsonDocument.Parse(keys.Output).RootElement.GetProperty("tables")[0];
        Assert.Equal(1202, line.GetProperty("sourceRows").GetInt64());
        Assert.Equal(1202, line.GetProperty("importedRows").GetInt64());
        Assert.Equal("1200", (await RunAsync("redis-cli", redisNew, [.. atNew, "GET", "k1200"])).Output.Trim());
        Assert.Equal("x\ny", (await RunAsync("redis-cli", redisNew, [.. atNew, "LRANGE", "list", "0", "-1"])).Output.Trim());
        Assert.InRange(long.Parse((await RunAsync("redis-cli", redisNew, [.. atNew, "TTL", "session"])).Output.Trim(), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        Assert.Equal("kept", (await RunAsync("redis-cli", redisNew, [.. atNew, "GET", "mine"])).Output.Trim());

        var wrong = await cli.RunAsync("addon", "import", "cache", "--from", $"redis://:not-the-password@{oldCache["REDIS_HOST"]}:{oldCache["REDIS_PORT"]}/0");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("refused the credentials", wrong.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", wrong.Error, StringComparison.Ordinal);
    }
}
