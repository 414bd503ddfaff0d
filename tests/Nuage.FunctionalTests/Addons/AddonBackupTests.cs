using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>Backups of a real PostgreSQL add-on: backup → delete a row → restore → the row is back; a tampered backup is refused.</summary>
public sealed class AddonBackupTests
{
    [Fact]
    public async Task Backup_DeleteRow_Restore_RowIsBack_IntoNewToo_AndTamperedBackupIsRefusedWithDataUntouched()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "orders", "postgresql");
        var db = await CredentialsAsync(server, "orders");
        Assert.Equal(0, (await PsqlAsync(db, "CREATE TABLE items (name TEXT); INSERT INTO items VALUES ('kept'), ('deleted-later');")).Code);
        var cli = server.Cli();

        var taken = await cli.RunAsync("addon", "backup", "orders", "--json");
        Assert.True(taken.ExitCode == 0, taken.ToString());
        var backup = JsonDocument.Parse(taken.Output).RootElement;
        var id = backup.GetProperty("id").GetString()!;
        Assert.True(backup.GetProperty("sizeBytes").GetInt64() > 0);
        var listed = await cli.RunAsync("addon", "backups", "orders");
        Assert.Contains(id, listed.Output, StringComparison.Ordinal);
        Assert.Contains(backup.GetProperty("sha256").GetString()!, listed.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await PsqlAsync(db, "DELETE FROM items WHERE name = 'deleted-later';")).Code);
        Assert.Equal(2, (await cli.RunAsync("addon", "restore", "orders", id)).ExitCode); // needs --yes
        var restored = await cli.RunAsync("addon", "restore", "orders", id, "--yes");
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal("deleted-later\nkept", (await PsqlAsync(db, "SELECT name FROM items ORDER BY name;")).Output.Trim());

        var copy = await cli.RunAsync("addon", "restore", "orders", id, "--into", "orders-copy");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        var copyDb = await CredentialsAsync(server, "orders-copy");
        Assert.Equal("2", (await PsqlAsync(copyDb, "SELECT count(*) FROM items;")).Output.Trim());

        // Flip one byte of the stored file: the restore is refused before anything touches the live database.
        Assert.Equal(0, (await PsqlAsync(db, "DELETE FROM items WHERE name = 'deleted-later';")).Code);
        var file = Directory.GetFiles(Path.Combine(server.DataDirectory, "addons"), id + ".*", SearchOption.AllDirectories).Single();
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(file, bytes);
        var refused = await cli.RunAsync("addon", "restore", "orders", id, "--yes");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("fails its checksum", refused.Error, StringComparison.Ordinal);
        Assert.Equal("kept", (await PsqlAsync(db, "SELECT name FROM items ORDER BY name;")).Output.Trim());

        var unknown = await cli.RunAsync("addon", "restore", "orders", "bk_nope", "--yes");
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public async Task RedisAndMySql_BackupThenRestore_BringBackWhatWasDeleted()
    {
        await using var server = await RunningServer.StartAsync();
        await CreateAsync(server, "cache", "redis");
        await CreateAsync(server, "shop", "mysql");
        var cache = await CredentialsAsync(server, "cache");
        var shop = await CredentialsAsync(server, "shop");
        var redisAuth = new Dictionary<string, string> { ["REDISCLI_AUTH"] = cache["REDIS_PASSWORD"] };
        string[] redis = ["-h", cache["REDIS_HOST"], "-p", cache["REDIS_PORT"]];
        var mysqlAuth = new Dictionary<string, string> { ["MYSQL_PWD"] = shop["MYSQL_ADDON_PASSWORD"] };
        string[] mysql = ["-h", shop["MYSQL_ADDON_HOST"], "-P", shop["MYSQL_ADDON_PORT"], "-u", shop["MYSQL_ADDON_USER"], shop["MYSQL_ADDON_DB"], "-N", "-B", "-e"];

        Assert.Contains("OK", (await RunAsync("redis-cli", redisAuth, [.. redis, "SET", "kept", "1"])).Output, StringComparison.Ordinal);
        var created = await RunAsync("mariadb", mysqlAuth, [.. mysql, "CREATE TABLE items (name TEXT); INSERT INTO items VALUES ('kept');"]);
        Assert.True(created.Code == 0, created.Output);

        var cli = server.Cli();
        var ids = new Dictionary<string, string>();
        foreach (var addon in new[] { "cache", "shop" })
        {
            var taken = await cli.RunAsync("addon", "backup", addon, "--json");
            Assert.True(taken.ExitCode == 0, taken.ToString());
            ids[addon] = JsonDocument.Parse(taken.Output).RootElement.GetProperty("id").GetString()!;
        }

        await RunAsync("redis-cli", redisAuth, [.. redis, "DEL", "kept"]);
        await RunAsync("mariadb", mysqlAuth, [.. mysql, "DELETE FROM items;"]);
        foreach (var addon in new[] { "cache", "shop" })
        {
            var restored = await cli.RunAsync("addon", "restore", addon, ids[addon], "--yes");
            Assert.True(restored.ExitCode == 0, restored.ToString());
        }

        Assert.Equal("1", (await RunAsync("redis-cli", redisAuth, [.. redis, "GET", "kept"])).Output.Trim());
        Assert.Equal("kept", (await RunAsync("mariadb", mysqlAuth, [.. mysql, "SELECT name FROM items;"])).Output.Trim());
    }
}
