using Microsoft.Extensions.Time.Testing;
using Nuage.Core.Usage;
using Nuage.Server.Usage;
using Nuage.State.Sqlite;

namespace Nuage.Server.Tests.Usage;

/// <summary>
/// The counting rules on a known timeline, against a real SQLite store in a temp directory; the fake clock only hands
/// out the instants (the ledger is given times, it never reads a clock).
/// </summary>
public sealed class UsageLedgerTests : IDisposable
{
    private static readonly UsageSubject Web = new(UsageSubjects.App, "app_1", "shop", "org_a", "nano");
    private static readonly UsageSubject Worker = new(UsageSubjects.App, "app_1", "shop", "org_a", "XS");
    private readonly string _dir = Directory.CreateTempSubdirectory("nuage-usage-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SqliteStateStore _store;
    private readonly UsageLedger _ledger;
    private readonly long _t0;

    public UsageLedgerTests()
    {
        _store = SqliteStateStore.Open(Path.Combine(_dir, "nuage.db"));
        _ledger = new UsageLedger(_store.Usage);
        _t0 = Now;
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Timeline_StartCheckpointKillAdoptRestartStop_GivesExactInstanceSeconds()
    {
        // t0: web starts; t0+10 s: worker starts; checkpoints at +15 and +30 see both alive.
        await _ledger.LiveAsync("web-1", Web, Now, default);
        await _ledger.LiveAsync("web-1", Web, Now, default); // a second event of the same start counts once
        Advance(10);
        var workerStart = Now;
        await _ledger.LiveAsync("worker-1", Worker, workerStart, default);
        Advance(5);
        await _ledger.CheckpointAsync(["web-1", "worker-1"], Now, default);
        Advance(15);
        await _ledger.CheckpointAsync(["web-1", "worker-1"], Now, default);

        // t0+40: the server is killed (no more checkpoints). While it is down the worker dies; the web instance lives.
        Advance(70);

        // t0+100: the server starts again. The web instance is re-adopted (same run); the worker is gone.
        await _ledger.LiveAsync("web-1", Web, _t0, default);
        Assert.Equal(1, await _ledger.CloseVanishedAsync(id => id == "web-1", default));
        await _ledger.LiveAsync("worker-1", Worker, Now, default); // restarted by the restore, same instance id
        Advance(20);

        // t0+120: the worker crashes and is restarted one second later by the supervisor.
        await _ledger.EndedAsync("worker-1", Now, default);
        Advance(1);
        await _ledger.LiveAsync("worker-1", Worker, Now, default);
        Advance(39);

        // t0+160: web stops; t0+200: worker stops.
        await _ledger.EndedAsync("web-1", Now, default);
        Advance(40);
        await _ledger.EndedAsync("worker-1", Now, default);
        Advance(1000); // nothing counts after the stops

        var all = await SumAsync(_t0, Now);
        Assert.Equal(160.0, all[("web", "nano")]);
        Assert.Equal((30 - 10) + (120 - 100) + (200 - 121), all[("web", "XS")]);

        // A range inside the timeline clips every interval to it.
        var middle = await SumAsync(_t0 + 50_000, _t0 + 150_000);
        Assert.Equal(100.0, middle[("web", "nano")]);
        Assert.Equal((120 - 100) + (150 - 121), middle[("web", "XS")]);

        // One interval per run (web: 1; worker: before the kill, after the restore, after the crash), none left open,
        // and no interval overlaps another of the same instance.
        var intervals = await _store.Usage.ListAsync(new UsageQuery { From = 0, To = long.MaxValue, Now = Now }, default);
        Assert.Equal(1, intervals.Count(i => i.InstanceId == "web-1"));
        Assert.Equal(3, intervals.Count(i => i.InstanceId == "worker-1"));
        Assert.All(intervals, i => Assert.NotNull(i.EndedAt));
        foreach (var byInstance in intervals.GroupBy(i => i.InstanceId))
        {
            var ordered = byInstance.OrderBy(i => i.StartedAt).ToList();
            for (var k = 1; k < ordered.Count; k++)
            {
                Assert.True(ordered[k].StartedAt >= ordered[k - 1].EndedAt, $"{byInstance.Key} intervals overlap");
            }
        }
    }

    [Fact]
    public async Task OpenInterval_CountsUpToNow_AndAdoptedRunKeepsItsIntervalAcrossARestart()
    {
        await _ledger.LiveAsync("web-1", Web, Now, default);
        Advance(30);
        await _ledger.CheckpointAsync(["web-1"], Now, default);
        Advance(30);
        var before = Assert.Single(await _store.Usage.ListOpenAsync(default));

        // Restart: the run is re-adopted, so nothing is closed and nothing reopened.
        await _ledger.LiveAsync("web-1", Web, _t0, default);
        Assert.Equal(0, await _ledger.CloseVanishedAsync(_ => true, default));
        Assert.Equal(before.Id, Assert.Single(await _store.Usage.ListOpenAsync(default)).Id);
        Advance(15);

        Assert.Equal(75.0, (await SumAsync(_t0, Now))[("web", "nano")]);
        Assert.Single(await _store.Usage.ListOpenAsync(default));
    }

    [Fact]
    public async Task RunReportedAsStartedBeforeThePreviousEnd_StartsAtThatEnd_SoNoSecondCountsTwice()
    {
        await _ledger.LiveAsync("web-1", Web, Now, default);
        Advance(50);
        await _ledger.EndedAsync("web-1", Now, default);
        var end = Now;

        // A stale live event naming an earlier start (e.g. queued behind the stop) reopens no earlier than the end.
        await _ledger.LiveAsync("web-1", Web, _t0 + 10_000, default);
        Advance(5);
        await _ledger.EndedAsync("web-1", Now, default);

        var intervals = await _store.Usage.ListAsync(new UsageQuery { From = 0, To = long.MaxValue, Now = Now }, default);
        Assert.Equal(2, intervals.Count);
        Assert.Equal(end, intervals[1].StartedAt);
        Assert.Equal(55.0, (await SumAsync(_t0, Now))[("web", "nano")]);
    }

    [Fact]
    public async Task Store_RefusesASecondOpenIntervalForOneInstance()
    {
        var interval = new UsageInterval
        {
            InstanceId = "web-1", SubjectKind = Web.Kind, SubjectId = Web.Id, SubjectName = Web.Name, OrgId = Web.OrgId, Flavor = Web.Flavor,
            StartedAt = Now, LastSeenAt = Now,
        };
        Assert.True(await _store.Usage.TryOpenAsync(interval, default));
        Assert.False(await _store.Usage.TryOpenAsync(interval with { StartedAt = Now + 1 }, default));
        Assert.Single(await _store.Usage.ListOpenAsync(default));
    }

    private void Advance(int seconds) => _clock.Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>Seconds per (kind-of-row, flavor): "web" is the app row kind here, keyed with the flavor.</summary>
    private async Task<Dictionary<(string, string), double>> SumAsync(long from, long to)
    {
        var totals = await _store.Usage.SumAsync(new UsageQuery { From = from, To = to, Now = Now }, default);
        return totals.ToDictionary(t => ("web", t.Flavor), t => t.Seconds);
    }
}
