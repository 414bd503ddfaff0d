using System.Text;
using Microsoft.Data.Sqlite;
using Nuage.Core.Paths;
using Nuage.Logs.Ingestion;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Ingestion;

/// <summary>Instance output files give their disk space back once the store holds their lines.</summary>
public sealed class OutputReclaimTests : IDisposable
{
    private const long CompactBytes = 256 * 1024;
    private readonly TempDir _dir = new();
    private readonly NuagePaths _paths;

    public OutputReclaimTests() => _paths = new NuagePaths(_dir.Path);

    private InstanceOutput Output(string instance) => new(
        "app1", instance, "dep-1", _paths.InstanceOutput("app1", instance, "stdout"), _paths.InstanceOutput("app1", instance, "stderr"));

    private InstanceOutputTailers Tailers(LogStore store) =>
        new(store, new InstanceOutputOptions { AppDirectory = _paths.InstanceLogs, CompactBytes = CompactBytes });

    [Fact]
    public async Task ChattyInstance_WritingManyMegabytes_FileStaysSmallOnDiskAndEveryLineIsStored()
    {
        await using var store = new LogStore(new LogStoreOptions { Directory = _paths.LogStore });
        await using var tailers = Tailers(store);
        var output = Output("web-1");
        Directory.CreateDirectory(_paths.InstanceLogs("app1"));
        tailers.Start(output);

        // Like the instance's wrapper (>>): one O_APPEND descriptor kept open for the whole run.
        const int lines = 120_000;
        await using (var stream = new FileStream(output.StdoutPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            for (var i = 1; i <= lines; i++)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"2026-01-01T00:00:00Z INFO line {i} of a chatty app, padded to look real\n"));
                if (i % 5000 == 0)
                {
                    await stream.FlushAsync();
                    await Task.Delay(20);
                }
            }
        }

        await Wait.UntilAsync(async () => (await store.GetStatsAsync("app1")).Count >= lines, "every line stored", seconds: 120);
        await Wait.UntilAsync(() => Task.FromResult(DiskUsage.AllocatedBytes(output.StdoutPath) < 4 * CompactBytes), "the ingested prefix punched out",
            describe: () => $"length {new FileInfo(output.StdoutPath).Length}, allocated {DiskUsage.AllocatedBytes(output.StdoutPath)}");

        var length = new FileInfo(output.StdoutPath).Length;
        Assert.True(length > 7_000_000, $"the app wrote {length} bytes");
        Assert.Equal(Enumerable.Range(1, lines).Select(i => $"2026-01-01T00:00:00Z INFO line {i} of a chatty app, padded to look real"), StoredMessages());
    }

    [Fact]
    public async Task RetiredInstance_AfterItsFinalLinesAreStored_ItsFilesAreRemoved()
    {
        await using var store = new LogStore(new LogStoreOptions { Directory = _paths.LogStore });
        await using var tailers = Tailers(store);
        var output = Output("old-1");
        Directory.CreateDirectory(_paths.InstanceLogs("app1"));
        await File.WriteAllTextAsync(output.StdoutPath, "first\nsecond\nlast without newline");
        await File.WriteAllTextAsync(output.StderrPath, "oops\n");
        tailers.Start(output);

        await tailers.StopAsync("app1", "old-1");

        Assert.False(File.Exists(output.StdoutPath));
        Assert.False(File.Exists(output.StderrPath));
        var stored = await store.QueryAsync("app1", new LogQuery());
        Assert.Equal(["first", "last without newline", "oops", "second"], stored.Select(r => r.Record.Message).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OutputFileReplacedBySymlink_IsNeitherFollowedNorTouched()
    {
        await using var store = new LogStore(new LogStoreOptions { Directory = _paths.LogStore });
        await using var tailers = Tailers(store);
        var output = Output("evil-1");
        Directory.CreateDirectory(_paths.InstanceLogs("app1"));
        var target = Path.Combine(_dir.Path, "secret.txt");
        await File.WriteAllTextAsync(target, "do not read me\n");
        File.CreateSymbolicLink(output.StdoutPath, target);
        tailers.Start(output);

        await tailers.StopAsync("app1", "evil-1");

        Assert.Empty(await store.QueryAsync("app1", new LogQuery()));
        Assert.Equal("do not read me\n", await File.ReadAllTextAsync(target));
    }

    private List<string> StoredMessages()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_paths.LogStore, "app1.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message FROM records ORDER BY seq";
        using var reader = command.ExecuteReader();
        var messages = new List<string>();
        while (reader.Read())
        {
            messages.Add(reader.GetString(0));
        }

        return messages;
    }

    public void Dispose() => _dir.Dispose();
}
