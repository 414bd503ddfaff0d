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
}
