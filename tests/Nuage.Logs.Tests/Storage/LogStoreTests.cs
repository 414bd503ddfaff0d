using Microsoft.Extensions.Time.Testing;
using Nuage.Core.Logging;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Storage;

public sealed class LogStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    private LogStoreOptions Options() => new() { Directory = _dir.Sub("store") };

    private static LogRecord Line(string message, LogSource source = LogSource.App, string? instance = "i1") =>
        new(DateTimeOffset.MinValue, "app1", source, message, instance, "d1", "stdout");

    [Fact]
    public async Task SinkWrites_AreStoredWithIncreasingSequenceAndMonotonicArrivalTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var store = new LogStore(Options(), time);
        store.Sink.Write(Line("first"));
        time.Advance(TimeSpan.FromSeconds(5));
        store.Sink.Write(Line("second"));
        await store.FlushAsync("app1");

        var records = await store.QueryAsync("app1", new LogQuery());

        Assert.Equal([1L, 2L], records.Select(r => r.Sequence));
        Assert.Equal(["first", "second"], records.Select(r => r.Record.Message));
        Assert.Equal(time.GetUtcNow(), records[1].Record.Timestamp);
        Assert.True(records[0].Record.Timestamp < records[1].Record.Timestamp);
        Assert.Equal("d1", records[0].Record.DeploymentId);
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsRecordsAndContinuesSequence()
    {
        await using (var store = new LogStore(Options()))
        {
            store.Sink.Write(Line("a"));
            store.Sink.Write(Line("b"));
        }

        await using var reopened = new LogStore(Options());
        reopened.Sink.Write(Line("c"));
        await reopened.FlushAsync("app1");
        var records = await reopened.QueryAsync("app1", new LogQuery());

        Assert.Equal(["a", "b", "c"], records.Select(r => r.Record.Message));
        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Sequence));
    }

    [Fact]
    public async Task Query_WithFilters_ReturnsOnlyMatchingRecords()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var store = new LogStore(Options(), time);
        store.Sink.Write(Line("GET /health 200", LogSource.Access, instance: null));
        store.Sink.Write(Line("Payment FAILED 100%", instance: "i1"));
        time.Advance(TimeSpan.FromMinutes(10));
        var later = time.GetUtcNow();
        store.Sink.Write(Line("payment failed again", instance: "i2"));
        store.Sink.Write(Line("deploy succeeded", LogSource.Platform, instance: null));
        await store.FlushAsync("app1");

        var search = await store.QueryAsync("app1", new LogQuery { Filter = new LogFilter { Search = "payment failed" } });
        var percent = await store.QueryAsync("app1", new LogQuery { Filter = new LogFilter { Search = "100%" } });
        var platform = await store.QueryAsync("app1", new LogQuery { Filter = new LogFilter { Source = LogSource.Platform } });
        var instance = await store.QueryAsync("app1", new LogQuery { Filter = new LogFilter { InstanceId = "i2" } });
        var since = await store.QueryAsync("app1", new LogQuery { Since = later });
        var until = await store.QueryAsync("app1", new LogQuery { Until = later });
        var after = await store.QueryAsync("app1", new LogQuery { AfterSequence = 3 });
        var newest = await store.QueryAsync("app1", new LogQuery { Newest = true, Limit = 2 });

        Assert.Equal(["Payment FAILED 100%", "payment failed again"], search.Select(r => r.Record.Message));
        Assert.Single(percent);
        Assert.Equal("deploy succeeded", Assert.Single(platform).Record.Message);
        Assert.Equal("payment failed again", Assert.Single(instance).Record.Message);
        Assert.Equal([3L, 4L], since.Select(r => r.Sequence));
        Assert.Equal([1L, 2L], until.Select(r => r.Sequence));
        Assert.Equal([4L], after.Select(r => r.Sequence));
        Assert.Equal([3L, 4L], newest.Select(r => r.Sequence));
    }

    [Fact]
    public async Task Query_SinceAndUntilAtEveryBoundary_MatchTimestampsExactly()
    {
        // Given 50 records over time, several sharing a timestamp (the store keys time bounds on sequences)
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        await using var store = new LogStore(Options(), time);
        for (var i = 0; i < 50; i++)
        {
            store.Sink.Write(Line($"m{i}"));
            if (i % 3 == 2)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        await store.FlushAsync("app1");
        var all = await store.QueryAsync("app1", new LogQuery { Limit = 100 });

        // When querying from and up to every second around the data, Then the results are exactly the timestamp ranges
        for (var s = -1; s <= 18; s++)
        {
            var bound = start.AddSeconds(s);
            var since = await store.QueryAsync("app1", new LogQuery { Since = bound, Limit = 100 });
            var until = await store.QueryAsync("app1", new LogQuery { Until = bound, Limit = 100 });
            Assert.Equal(all.Where(r => r.Record.Timestamp >= bound).Select(r => r.Sequence), since.Select(r => r.Sequence));
            Assert.Equal(all.Where(r => r.Record.Timestamp < bound).Select(r => r.Sequence), until.Select(r => r.Sequence));
        }
    }

    [Fact]
    public async Task Follow_ReconnectingWithLastSequence_SeesEveryRecordOnceInOrder()
    {
        await using var store = new LogStore(Options());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<long>();
        var follow = Task.Run(async () =>
        {
            await foreach (var record in store.FollowAsync("app1", 0, ct: cts.Token))
            {
                seen.Add(record.Sequence);
                if (seen.Count == 50)
                {
                    break;
                }
            }
        });
        for (var i = 0; i < 100; i++)
        {
            store.Sink.Write(Line("line " + i));
        }

        await follow;
        var resumed = new List<long>();
        await foreach (var record in store.FollowAsync("app1", seen[^1], new LogFilter { Search = "line" }, cts.Token))
        {
            resumed.Add(record.Sequence);
            if (record.Sequence == 100)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), seen.Concat(resumed));
    }

    [Fact]
    public async Task Follow_FromNow_WakesOnWriteWithoutPolling()
    {
        await using var store = new LogStore(Options());
        store.Sink.Write(Line("old"));
        await store.FlushAsync("app1");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var follower = store.FollowAsync("app1", afterSequence: null, ct: cts.Token).GetAsyncEnumerator(cts.Token);
        var next = follower.MoveNextAsync().AsTask();

        store.Sink.Write(Line("new"));

        Assert.True(await next);
        Assert.Equal("new", follower.Current.Record.Message);
    }

    [Fact]
    public async Task Retention_ByAge_DeletesOldRecordsOnly()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = Options() with { RetentionAge = TimeSpan.FromHours(1) };
        await using var store = new LogStore(options, time);
        store.Sink.Write(Line("old"));
        await store.FlushAsync("app1");
        time.Advance(TimeSpan.FromMinutes(90));
        store.Sink.Write(Line("recent"));
        await store.FlushAsync("app1");

        await store.RunRetentionAsync();

        var records = await store.QueryAsync("app1", new LogQuery());
        Assert.Equal("recent", Assert.Single(records).Record.Message);
        var stats = await store.GetStatsAsync("app1");
        Assert.Equal(2, stats.FirstSequence);
    }

    [Fact]
    public async Task Retention_BySize_KeepsNewestUnderTheCap()
    {
        var options = Options() with { RetentionBytes = 1 << 20 };
        await using var store = new LogStore(options);
        var payload = new string('x', 500);
        for (var i = 0; i < 10_000; i++)
        {
            store.Sink.Write(Line($"{i} {payload}"));
            if (i % 1000 == 999)
            {
                await store.FlushAsync("app1");
            }
        }

        await store.FlushAsync("app1");
        await store.RunRetentionAsync();

        var stats = await store.GetStatsAsync("app1");
        Assert.True(stats.SizeBytes <= options.RetentionBytes, $"size {stats.SizeBytes}");
        Assert.Equal(10_000, stats.LastSequence);
        Assert.True(stats.FirstSequence > 1);
        var newest = await store.QueryAsync("app1", new LogQuery { Newest = true, Limit = 1 });
        Assert.StartsWith("9999 ", Assert.Single(newest).Record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Invalid_NameTheOptionAndTheFix()
    {
        var options = new LogStoreOptions { Directory = "", RetentionBytes = 5 };
        var ex = Assert.Throws<Nuage.Core.Errors.NuageException>(() => new LogStore(options));
        Assert.Contains(ex.Errors, e => e.Field == nameof(LogStoreOptions.Directory));
        Assert.Contains(ex.Errors, e => e.Field == LogStoreOptions.RetentionMiBFlag && e.Value == "0");
    }

    public void Dispose() => _dir.Dispose();
}
