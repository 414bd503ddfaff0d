using System.Text.Json;
using Nuage.FunctionalTests.Infrastructure;
using static Nuage.FunctionalTests.Apply.ApplyRoundTripTests;

namespace Nuage.FunctionalTests.Addons;

/// <summary>
/// Backup schedule and retention through a real server: set at create, changed with 'addon update' and by
/// 'nuage apply', shown by 'addon status' and written by 'nuage export'; bad values exit 2 naming what is accepted.
/// (The schedule's timing itself is tested on a fake clock in <see cref="AddonBackupScheduleTests"/>.)
/// </summary>
public sealed class AddonBackupPolicyTests
{
    [Fact]
    public async Task CreateUpdateApplyExport_CarryTheBackupScheduleAndRetention_BadValuesAreRefused()
    {
        await using var server = await RunningServer.StartAsync();
        var cli = server.Cli();

        var created = JsonDocument.Parse((await Ok(cli, "addon", "create", "cache", "--type", "redis", "--backup-schedule", "every 6h", "--backup-retention", "3", "--json")).Output).RootElement;
        Assert.Equal(("every 6h", 3), (created.GetProperty("backupSchedule").GetString(), created.GetProperty("backupRetention").GetInt32()));
        Assert.True(created.GetProperty("nextBackupAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(5));
        var status = (await Ok(cli, "addon", "status", "cache")).Output;
        Assert.Contains("backups:  every 6h, keeping 3, next ", status, StringComparison.Ordinal);

        var bad = await cli.RunAsync("addon", "update", "cache", "--backup-schedule", "weekly", "--backup-retention", "0");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("backupSchedule: \"weekly\" is not a backup schedule; accepted: daily@HH:MM (UTC), daily (= daily@03:00), hourly, every Nh (1-168), off", bad.Error, StringComparison.Ordinal);
        Assert.Contains("backupRetention", bad.Error, StringComparison.Ordinal);
        var badCreate = await cli.RunAsync("addon", "create", "other", "--type", "redis", "--backup-schedule", "daily@25:00");
        Assert.Equal(2, badCreate.ExitCode);

        var updated = JsonDocument.Parse((await Ok(cli, "addon", "update", "cache", "--backup-schedule", "daily@04:30", "--json")).Output).RootElement;
        Assert.Equal(("daily@04:30", 3), (updated.GetProperty("backupSchedule").GetString(), updated.GetProperty("backupRetention").GetInt32()));
        Assert.Equal(new TimeSpan(4, 30, 0), updated.GetProperty("nextBackupAt").GetDateTimeOffset().UtcDateTime.TimeOfDay);

        var exported = (await Ok(cli, "export")).Output;
        Assert.Contains("backup_schedule = \"daily@04:30\"\nbackup_retention = 3\n", exported, StringComparison.Ordinal);

        var file = Path.Combine(server.Scratch, "nuage.toml");
        await File.WriteAllTextAsync(file, exported.Replace("daily@04:30", "off", StringComparison.Ordinal));
        var applied = await Ok(cli, "apply", "-f", file, "--yes");
        Assert.Contains("backups off, keeping 3", applied.Output, StringComparison.Ordinal);
        var off = JsonDocument.Parse((await Ok(cli, "addon", "status", "cache", "--json")).Output).RootElement;
        Assert.Equal("off", off.GetProperty("backupSchedule").GetString());
        Assert.False(off.TryGetProperty("nextBackupAt", out var next) && next.ValueKind != JsonValueKind.Null); // no next run when off
        Assert.Contains("No changes", (await Ok(cli, "apply", "-f", file, "--yes")).Output, StringComparison.OrdinalIgnoreCase);
    }
}
