using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>
/// `nuage addon import NAME --from FILE` with real servers and dumps made by the real tools (pg_dump -Fc and plain,
/// mariadb-dump, redis-cli --rdb): the rows come back with their counts; a file that does not fit the type, a missing
/// file and a compressed one exit 2 naming "from" and what is accepted; a dump that fails half-way or carries client
/// commands (psql's \!, mariadb's system) leaves the add-on exactly as it was and runs nothing on the host.
/// </summary>
public sealed class AddonFileImportTests
{
    [Fact]
    public async Task DumpFiles_ImportedFromCli_RowsComeBackCounted_BadFilesExit2_FailedOrHostileDumpsLeaveTheAddonUntouched()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "db", "postgresql");
        await CreateAsync(server, "shop", "mysql");
        await CreateAsync(server, "cache", "redis");
        var db = await CredentialsAsync(server, "db");
        var shop = await CredentialsAsync(server, "shop");
        var cache = await CredentialsAsync(server, "cache");
        var cli = server.Cli();
        var dir = server.Scratch;
        var marker = Path.Combine(dir, "pwned");

        // PostgreSQL: a custom-format and a plain dump of 250 + 2 rows, then the tables are emptied.
        Assert.Equal(0, (await PsqlAsync(db, "CREATE TABLE items (id INT PRIMARY KEY, name TEXT); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 250) g;"
            + "CREATE TABLE orders (id SERIAL PRIMARY KEY, item INT REFERENCES items(id)); INSERT INTO orders (item) VALUES (1), (2);")).Code);
        var pgEnv = new Dictionary<string, string> { ["PGPASSWORD"] = db["POSTGRESQL_ADDON_PASSWORD"] };
        string[] pgAt = ["-h", db["POSTGRESQL_ADDON_HOST"], "-p", db["POSTGRESQL_ADDON_PORT"], "-U", db["POSTGRESQL_ADDON_USER"], "-d", db["POSTGRESQL_ADDON_DB"], "-w"];
        Assert.Equal(0, (await RunAsync("pg_dump", pgEnv, [.. pgAt, "-Fc", "-f", Path.Combine(dir, "db.pgdump")])).Code);
        Assert.Equal(0, (await RunAsync("pg_dump", pgEnv, [.. pgAt, "--no-owner", "--no-acl", "--clean", "--if-exists", "-f", Path.Combine(dir, "db.sql")])).Code);
        Assert.Equal(0, (await PsqlAsync(db, "DELETE FROM orders; DELETE FROM items; CREATE TABLE kept (note TEXT); INSERT INTO kept VALUES ('mine');")).Code);

        var custom = await cli.RunAsync("addon", "import", "db", "--from", "db.pgdump", "--json");
        Assert.True(custom.ExitCode == 0, custom.ToString());
        Assert.Contains("(100%)", custom.Error, StringComparison.Ordinal); // the upload's progress
        var report = JsonDocument.Parse(custom.Output).RootElement;
        Assert.Equal("file db.pgdump", report.GetProperty("source").GetString());
        var tables = report.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => (t.GetProperty("sourceRows").GetInt64(), t.GetProperty("importedRows").GetInt64()));
        Assert.Equal((250L, 250L), tables["public.items"]);
        Assert.Equal((2L, 2L), tables["public.orders"]);
        Assert.Equal("250", (await PsqlAsync(db, "SELECT count(*) FROM items;")).Output.Trim());
        Assert.Equal("mine", (await PsqlAsync(db, "SELECT note FROM kept;")).Output.Trim());

        Assert.Equal(0, (await PsqlAsync(db, "DELETE FROM orders;")).Code);
        var plain = await cli.RunAsync("addon", "import", "db", "--from", Path.Combine(dir, "db.sql"));
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("public.orders", plain.Output, StringComparison.Ordinal);
        Assert.Equal("2", (await PsqlAsync(db, "SELECT count(*) FROM orders;")).Output.Trim());

        // Bad input: exit 2, naming the field, the value and what the type accepts; nothing uploaded or changed.
        var missing = await cli.RunAsync("addon", "import", "db", "--from", "nowhere.sql");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--from: \"nowhere.sql\" is neither a URL nor an existing file", missing.Error, StringComparison.Ordinal);
        await File.WriteAllBytesAsync(Path.Combine(dir, "db.sql.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]);
        var gzip = await cli.RunAsync("addon", "import", "db", "--from", "db.sql.gz");
        Assert.Equal(2, gzip.ExitCode);
        Assert.Contains("from: \"db.sql.gz\" is gzip-compressed", gzip.Error, StringComparison.Ordinal);
        Assert.Contains("gzip-compressed", gzip.Error, StringComparison.Ordinal);
        Assert.Contains("pg_dump -Fc", gzip.Error, StringComparison.Ordinal);

        // A dump that fails half-way (a table created, then a row that breaks the key) changes nothing: one transaction.
        await File.WriteAllTextAsync(Path.Combine(dir, "broken.sql"), "CREATE TABLE fresh (id INT);\nINSERT INTO items VALUES (1, 'duplicate');\n");
        var broken = await cli.RunAsync("addon", "import", "db", "--from", "broken.sql");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("keeps its previous data", broken.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, (await PsqlAsync(db, "SELECT to_regclass('public.fresh');")).Output.Trim());
        Assert.Equal("250|2|mine", (await PsqlAsync(db, "SELECT (SELECT count(*) FROM items) || '|' || (SELECT count(*) FROM orders) || '|' || (SELECT note FROM kept);")).Output.Trim());

        // Attack: psql meta-commands in a tenant's dump would run on the server's host as root. They are refused.
        await File.WriteAllTextAsync(Path.Combine(dir, "hostile.sql"), $"CREATE TABLE fresh (id INT);\n\\unrestrict guess\nSELECT 1; \\! touch {marker}\n");
        var hostile = await cli.RunAsync("addon", "import", "db", "--from", "hostile.sql");
        Assert.Equal(2, hostile.ExitCode);
        Assert.Contains("from: \"hostile.sql\" contains psql meta-commands", hostile.Error, StringComparison.Ordinal);
        Assert.Contains("meta-commands", hostile.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "a \\! line of the dump ran on the host");
        Assert.Equal(string.Empty, (await PsqlAsync(db, "SELECT to_regclass('public.fresh');")).Output.Trim());

        // MariaDB: a mariadb-dump file brings deleted rows back, counted; a "system" line is refused and rolled back.
        Assert.Equal(0, (await MariaDbAsync(shop, "CREATE TABLE items (id INT PRIMARY KEY, name TEXT); INSERT INTO items VALUES (1, 'a'), (2, 'it''s (b)'), (3, 'c;');")).Code);
        var myEnv = new Dictionary<string, string> { ["MYSQL_PWD"] = shop["MYSQL_ADDON_PASSWORD"] };
        var dumped = await RunAsync("mariadb-dump", myEnv, "-h", shop["MYSQL_ADDON_HOST"], "-P", shop["MYSQL_ADDON_PORT"], "-u", shop["MYSQL_ADDON_USER"], "--single-transaction", "-r", Path.Combine(dir, "shop.sql"), shop["MYSQL_ADDON_DB"]);
        Assert.True(dumped.Code == 0, dumped.Output);
        Assert.Equal(0, (await MariaDbAsync(shop, "DELETE FROM items WHERE id > 1;")).Code);
        var myImport = await cli.RunAsync("addon", "import", "shop", "--from", "shop.sql", "--json");
        Assert.True(myImport.ExitCode == 0, myImport.ToString());
        var myTable = JsonDocument.Parse(myImport.Output).RootElement.GetProperty("tables").EnumerateArray().Single();
        Assert.Equal(("items", 3L, 3L), (myTable.GetProperty("name").GetString(), myTable.GetProperty("sourceRows").GetInt64(), myTable.GetProperty("importedRows").GetInt64()));
        Assert.Equal("3", (await MariaDbAsync(shop, "SELECT count(*) FROM items;")).Output.Trim());

        await File.WriteAllTextAsync(Path.Combine(dir, "hostile-my.sql"), $"DROP TABLE items;\nCREATE TABLE fresh (id INT);\nsystem touch {marker}\n");
        var myHostile = await cli.RunAsync("addon", "import", "shop", "--from", "hostile-my.sql");
        Assert.Equal(2, myHostile.ExitCode);
        Assert.Contains("from: \"hostile-my.sql\" contains mariadb client commands", myHostile.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "a system line of the dump ran on the host");
        Assert.Equal("items", (await MariaDbAsync(shop, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1;")).Output.Trim());
        Assert.Equal("3", (await MariaDbAsync(shop, "SELECT count(*) FROM items;")).Output.Trim());

        var pgIntoMy = await cli.RunAsync("addon", "import", "shop", "--from", "db.pgdump");
        Assert.Equal(2, pgIntoMy.ExitCode);
        Assert.Contains("from: \"db.pgdump\" is a PostgreSQL custom-format dump; add-on \"shop\" is mysql and accepts a MySQL/MariaDB SQL dump", pgIntoMy.Error, StringComparison.Ordinal);

        // Redis: an RDB snapshot brings keys (and a TTL) back into db 0; a key the file lacks is kept.
        var redisEnv = new Dictionary<string, string> { ["REDISCLI_AUTH"] = cache["REDIS_PASSWORD"] };
        string[] redisAt = ["-h", cache["REDIS_HOST"], "-p", cache["REDIS_PORT"]];
        await RunAsync("redis-cli", redisEnv, [.. redisAt, "EVAL", "for i=1,300 do redis.call('SET', 'k'..i, i) end return 1", "0"]);
        await RunAsync("redis-cli", redisEnv, [.. redisAt, "SET", "session", "s", "EX", "3600"]);
        Assert.Equal(0, (await RunAsync("redis-cli", redisEnv, [.. redisAt, "--rdb", Path.Combine(dir, "cache.rdb")])).Code);
        await RunAsync("redis-cli", redisEnv, [.. redisAt, "FLUSHALL"]);
        await RunAsync("redis-cli", redisEnv, [.. redisAt, "SET", "mine", "kept"]);
        var rdb = await cli.RunAsync("addon", "import", "cache", "--from", "cache.rdb", "--json");
        Assert.True(rdb.ExitCode == 0, rdb.ToString());
        var keys = JsonDocument.Parse(rdb.Output).RootElement.GetProperty("tables").EnumerateArray().Single();
        Assert.Equal((301L, 301L), (keys.GetProperty("sourceRows").GetInt64(), keys.GetProperty("importedRows").GetInt64()));
        Assert.Equal("302", (await RunAsync("redis-cli", redisEnv, [.. redisAt, "DBSIZE"])).Output.Trim());
        Assert.True(long.Parse((await RunAsync("redis-cli", redisEnv, [.. redisAt, "TTL", "session"])).Output.Trim(), System.Globalization.CultureInfo.InvariantCulture) > 3000);

        var sqlIntoRedis = await cli.RunAsync("addon", "import", "cache", "--from", "shop.sql");
        Assert.Equal(2, sqlIntoRedis.ExitCode);
        Assert.Contains("accepts a Redis RDB file", sqlIntoRedis.Error, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(dir, "torn.rdb"), "REDIS0010\u00fa\u0009redis-ver");
        var torn = await cli.RunAsync("addon", "import", "cache", "--from", "torn.rdb");
        Assert.Equal(2, torn.ExitCode);
        Assert.Contains("cannot load it as an RDB file", torn.Error, StringComparison.Ordinal);
        Assert.Equal("302", (await RunAsync("redis-cli", redisEnv, [.. redisAt, "DBSIZE"])).Output.Trim());
    }
}
