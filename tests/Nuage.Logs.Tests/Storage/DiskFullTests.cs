using System.Text;
using Nuage.Core.Logging;
using Nuage.Core.Paths;
using Nuage.Logs.Ingestion;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;
using Nuage.Tests.Shared;

namespace Nuage.Logs.Tests.Storage;

/// <summary>
/// The log store on a real, small tmpfs that the test fills: ingestion survives, counts what it could not store,
/// and catches up from the instance file once space is freed, with the platform's notices in the app's log.
/// </summary>
public sealed class DiskFullTests : IDisposable
{
    private const int Before = 200;
    private const int During = 3000;
    private readonly TempDir _dir = new();
    private readonly SmallTmpfs _disk = SmallTmpfs.Mount(megabytes: 8);

    [Fact]
    public async Task LogStoreDiskFull_WhileAnInstanceLogs_NothingCrashesLinesAreCountedAndStoredOnceSpaceIsFreed()
    {
        var paths = new NuagePaths(_dir.Path);
        await using var store = new LogStore(new LogStoreOptions { Directory = Path.Combine(_disk.Path, "store") });
        await using var tailers = new InstanceOutputTailers(store);
        var output = new InstanceOutput("app1", "web-1", "dep-1", paths.InstanceOutput("app1", "web-1", "stdout"), paths.InstanceOutput("app1", "web-1", "stderr"));
        Directory.CreateDirectory(paths.InstanceLogs("app1"));
        tailers.Start(output);
        Append(output.StdoutPath, 1, Before);
        await Wait.UntilAsync(async () => (await store.GetStatsAsync("app1")).Count >= Before, "lines before the disk fills");

        _disk.Fill();
        Append(output.StdoutPath, Before + 1, Before + During);
        await Wait.UntilAsync(() => Task.FromResult(store.Get("app1").IsFull && store.Metrics.UnstoredTotal > 0), "the store to notice the full disk",
            describe: () => $"full {store.Get("app1").IsFull}, unstored {store.Metrics.UnstoredTotal}");
        store.Sink.Write(new LogRecord(DateTimeOffset.UtcNow, "app1", LogSource.Platform, "event raised while the disk is full"));
        store.Sink.Write(new LogRecord(DateTimeOffset.UtcNow, "app1", LogSource.Build, "build line while the disk is full"));
        await Task.Delay(1500); // a few retries against the full disk: the tailer and the writer keep going

        _disk.Free();
        await Wait.UntilAsync(async () => Messages(await AllAsync(store), LogSource.App).Count >= Before + During, "every app line after space is freed", seconds: 60);

        var records = await AllAsync(store);
        Assert.Equal(Enumerable.Range(1, Before + During).Select(Line), Messages(records, LogSource.App));
        var platform = Messages(records, LogSource.Platform);
        Assert.Contains(platform, m => m.StartsWith("Log store full: no space left on the disk holding the log store (logs/store).", StringComparison.Ordinal));
        Assert.Contains("event raised while the disk is full", platform);
        Assert.Contains(platform, m => m.StartsWith("Log store writable again after", StringComparison.Ordinal));
        Assert.DoesNotContain(platform, m => m.Contains(_disk.Path, StringComparison.Ordinal));
        Assert.InRange(store.Metrics.UnstoredTotal, 1, During);
        Assert.False(store.Get("app1").IsFull);
    }

    private static string Line(int n) => $"line {n} " + new string('x', 100);

    private static void Append(string path, int from, int to)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        for (var i = from; i <= to; i++)
        {
            file.Write(Encoding.ASCII.GetBytes(Line(i) + "\n"));
        }
    }

    private static async Task<List<StoredLogRecord>> AllAsync(LogStore store)
    {
        var all = new List<StoredLogRecord>();
        long after = 0;
        while (true)
        {
            var page = await store.QueryAsync("app1", new LogQuery { AfterSequence = after, Limit = LogQuery.MaxLimit });
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
            after = page[^1].Sequence;
        }
    }

    private static List<string> Messages(List<StoredLogRecord> records, LogSource source) =>
        [.. records.Where(r => r.Record.Source == source).Select(r => r.Record.Message)];

    public void Dispose()
    {
        _disk.Dispose();
        _dir.Dispose();
    }
}
