using System.Security.Cryptography;
using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Addons.AddonTestSupport;
using static Nuage.FunctionalTests.Logs.LogsTestSupport;

namespace Nuage.FunctionalTests.Addons;

/// <summary>`nuage addon delete`: the newest backup stays on disk 7 days unless --purge, then the periodic check removes it.</summary>
public sealed class AddonDeleteTests
{
    [Fact]
    public async Task Delete_KeepsNewestBackupSevenDays_PurgeKeepsNothing_ExpiredKeptBackupRemoved()
    {
        await using var server = await RunningServer.StartAsync(o => o with { InsecureHostNetwork = true, AddonCheckInterval = TimeSpan.FromSeconds(1) });
        await CreateAsync(server, "gone", "redis");
        var cli = server.Cli();
        Assert.Equal(0, (await cli.RunAsync("addon", "backup", "gone")).ExitCode);
        var newest = await cli.RunAsync("addon", "backup", "gone", "--json");
        Assert.True(newest.ExitCode == 0, newest.ToString());
        var sha = JsonDocument.Parse(newest.Output).RootElement.GetProperty("sha256").GetString();

        var deleted = await cli.RunAsync("addon", "delete", "gone", "--yes", "--json");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        var result = JsonDocument.Parse(deleted.Output).RootElement;
        var kept = result.GetProperty("keptBackup").GetString()!;
        Assert.Equal(sha, result.GetProperty("keptBackupSha256").GetString());
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(kept))));
        var folder = Path.GetDirectoryName(Path.GetDirectoryName(kept))!;
        Assert.False(Directory.Exists(Path.Combine(folder, "data")), "the data is destroyed");
        Assert.Equal(2, Directory.GetFiles(Path.GetDirectoryName(kept)!).Length); // the newest backup and the marker, not the older one
        Assert.InRange(result.GetProperty("keptUntil").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7.1));
        Assert.Contains("stays on the server until", (await CreateAndDeleteTextAsync(server, "gone-text")).Output, StringComparison.Ordinal);

        await CreateAsync(server, "purged", "redis");
        Assert.Equal(0, (await cli.RunAsync("addon", "backup", "purged")).ExitCode);
        var purged = await cli.RunAsync("addon", "delete", "purged", "--yes", "--purge", "--json");
        Assert.True(purged.ExitCode == 0, purged.ToString());
        Assert.False(JsonDocument.Parse(purged.Output).RootElement.TryGetProperty("keptBackup", out _));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(server.DataDirectory, "addons")).Length); // gone's and gone-text's kept backups; nothing of purged

        // Seven days later (the marker dated back), the periodic check removes the kept backup.
        var marker = Path.Combine(Path.GetDirectoryName(kept)!, "DELETED");
        var lines = await File.ReadAllLinesAsync(marker);
        lines[0] = DateTimeOffset.UtcNow.AddDays(-8).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await File.WriteAllLinesAsync(marker, lines);
        await UntilAsync(() => Task.FromResult(!Directory.Exists(folder)), "the expired kept backup removed");
    }

    private static async Task<CliResult> CreateAndDeleteTextAsync(RunningServer server, string name)
    {
        await CreateAsync(server, name, "redis");
        Assert.Equal(0, (await server.Cli().RunAsync("addon", "backup", name)).ExitCode);
        return await server.Cli().RunAsync("addon", "delete", name, "--yes");
    }
}
