using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nuage.Core.Addons;
using Nuage.Core.State;
using Nuage.Server.Addons;
using Nuage.State.Sqlite;

namespace Nuage.FunctionalTests.Addons;

/// <summary>
/// The backup schedule on a fake clock (FakeTimeProvider: days pass without waiting) taking real backups of a real
/// Redis server started by the test (redis-cli --rdb through RedisEngine), recorded in a real SQLite state store.
/// </summary>
public sealed class AddonBackupScheduleTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nuage-schedule-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero));
    private Process? _redis;
    private int _port;

    public async Task InitializeAsync()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _redis = Process.Start(new ProcessStartInfo("redis-server", ["--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--requirepass", "real-pass", "--save", "", "--appendonly", "no", "--dir", _dir]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        for (var i = 0; i < 200; i++)
        {
            try
            {
                await using var wire = await RedisWire.ConnectAsync("127.0.0.1", _port, string.Empty, "real-pass", 0, CancellationToken.None);
                await wire.CallAsync(["SET", "greeting", "hello"], CancellationToken.None);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException("redis-server did not start");
    }

    public Task DisposeAsync()
    {
        _redis?.Kill();
        _redis?.Dispose();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Schedule_TakesDueBackups_KeepsTheNewestN_RecordsFailuresAndRetriesWithBackoff()
    {
        var store = SqliteStateStore.Open(Path.Combine(_dir, "nuage.db"));
        var addon = new AddonRecord
        {
            Id = "addon_sched", Name = "cache", Type = AddonTypes.Redis, Version = "7.0", Plan = "xs", Username = "default", Database = "0",
            SealedPassword = [1], CreatedAt = _clock.GetUtcNow(), BackupSchedule = "every 6h", BackupRetention = 2,
        };
        Assert.True(await store.Addons.TryCreateAsync(addon, CancellationToken.None));
        var backups = new RealRedisBackups(store, _dir, _port, _clock) { Password = "real-pass" };
        var scheduler = new AddonBackupScheduler(backups, store, _clock, NullLogger<AddonBackupScheduler>.Instance);

        // The first pass only plans the first run, six hours on.
        Assert.Equal(0, await scheduler.RunDueAsync(CancellationToken.None));
        Assert.Equal(_clock.GetUtcNow().AddHours(6), (await store.Addons.FindBackupRunAsync(addon.Id, CancellationToken.None))!.NextAt);
        _clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(0, await scheduler.RunDueAsync(CancellationToken.None));

        // Four runs, 6 h apart, each a real RDB snapshot; only the newest two scheduled backups stay, with their files.
        var manual = await backups.TakeAsync(addon, scheduled: false);
        for (var run = 0; run < 4; run++)
        {
            _clock.Advance(TimeSpan.FromHours(run == 0 ? 1 : 6));
            Assert.Equal(1, await scheduler.RunDueAsync(CancellationToken.None));
        }

        var kept = await store.Addons.ListBackupsAsync(addon.Id, CancellationToken.None);
        Assert.Equal(2, kept.Count(b => b.Scheduled));
        Assert.Contains(kept, b => b.Id == manual.Id); // on-demand backups are never pruned
        Assert.All(kept, b => Assert.True(new FileInfo(Path.Combine(_dir, b.File)).Length > 0));
        Assert.Equal(3, Directory.GetFiles(_dir, "*.rdb").Length);
        Assert.Equal(kept.Where(b => b.Scheduled).Max(b => b.CreatedAt), (await store.Addons.FindBackupRunAsync(addon.Id, CancellationToken.None))!.LastSuccessAt);

        // The server refuses the password: the failure is recorded with redis-cli's error and retried after 1, then 2 minutes.
        backups.Password = "wrong-pass";
        _clock.Advance(TimeSpan.FromHours(6));
        Assert.Equal(1, await scheduler.RunDueAsync(CancellationToken.None));
        var failed = (await store.Addons.FindBackupRunAsync(addon.Id, CancellationToken.None))!;
        Assert.Equal(1, failed.Failures);
        Assert.Contains("redis-cli", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(_clock.GetUtcNow().AddMinutes(1), failed.NextAt);
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await scheduler.RunDueAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await scheduler.RunDueAsync(CancellationToken.None));
        Assert.Equal(_clock.GetUtcNow().AddMinutes(2), (await store.Addons.FindBackupRunAsync(addon.Id, CancellationToken.None))!.NextAt);

        // Fixed: the retry succeeds, the error is cleared and the next run is 6 h after it.
        backups.Password = "real-pass";
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await scheduler.RunDueAsync(CancellationToken.None));
        var recovered = (await store.Addons.FindBackupRunAsync(addon.Id, CancellationToken.None))!;
        Assert.Equal((0, (string?)null), (recovered.Failures, recovered.LastError));
        Assert.Equal(_clock.GetUtcNow().AddHours(6), recovered.NextAt);
        Assert.Equal(2, (await store.Addons.ListBackupsAsync(addon.Id, CancellationToken.None)).Count(b => b.Scheduled));
    }

    [Theory]
    [InlineData("daily@03:00", "2026-12-01T01:00:00Z", "2026-12-01T03:00:00Z")]
    [InlineData("daily@03:00", "2026-12-01T03:00:00Z", "2026-12-02T03:00:00Z")]
    [InlineData("daily", "2026-12-01T23:59:00Z", "2026-12-02T03:00:00Z")]
    [InlineData("hourly", "2026-12-01T01:10:00Z", "2026-12-01T02:10:00Z")]
    [InlineData("every 6h", "2026-12-01T01:00:00Z", "2026-12-01T07:00:00Z")]
    public void Schedule_NextAfter_FollowsTheDocumentedForms(string text, string after, string next)
    {
        var schedule = AddonBackupSchedule.Parse(text)!;

        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture), schedule.NextAfter(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("weekly")]
    [InlineData("daily@25:00")]
    [InlineData("every 0h")]
    [InlineData("every 200h")]
    public void Schedule_UnknownForms_AreRefused(string text) => Assert.Null(AddonBackupSchedule.Parse(text));

    /// <summary>Backups as the server takes them (RedisEngine.BackupAsync: redis-cli --rdb) into the test's folder, pruned by the scheduler's own rule.</summary>
    private sealed class RealRedisBackups(IStateStore store, string dir, int port, TimeProvider clock) : IScheduledAddonBackups
    {
        private int _count;

        public required string Password { get; set; }

        public Task<IReadOnlyList<AddonRecord>> ListAsync(CancellationToken cancellationToken) => store.Addons.ListAsync(cancellationToken);

        public Task<AddonBackupRecord> BackupAsync(AddonRecord addon, CancellationToken cancellationToken) => TakeAsync(addon, scheduled: true);

        public async Task<AddonBackupRecord> TakeAsync(AddonRecord addon, bool scheduled)
        {
            var id = $"bk_{++_count:D3}";
            var file = Path.Combine(dir, id + ".rdb");
            await new RedisEngine().BackupAsync(addon, "127.0.0.1", port, Password, file, CancellationToken.None);
            var record = new AddonBackupRecord(id, addon.Id, Path.GetFileName(file), new FileInfo(file).Length, "-", clock.GetUtcNow()) { Scheduled = scheduled };
            await store.Addons.SaveBackupAsync(record, CancellationToken.None);
            return record;
        }

        public async Task<int> PruneAsync(AddonRecord addon, CancellationToken cancellationToken)
        {
            var expired = AddonBackupScheduler.Expired(await store.Addons.ListBackupsAsync(addon.Id, cancellationToken), addon.BackupRetention);
            foreach (var backup in expired)
            {
                File.Delete(Path.Combine(dir, backup.File));
                await store.Addons.DeleteBackupAsync(addon.Id, backup.Id, cancellationToken);
            }

            return expired.Count;
        }
    }
}
