using System.Text;
using Nuage.Core.Logging;
using Nuage.Core.Paths;
using Nuage.Logs.Ingestion;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Ingestion;

public sealed class InstanceOutputTailersTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly NuagePaths _paths;

    public InstanceOutputTailersTests() => _paths = new NuagePaths(_dir.Path);

    private LogStoreOptions Options() => new() { Directory = _paths.LogStore };

    private InstanceOutput Output(string instance = "web-1") => new(
        "app1", instance, "dep-7",
        _paths.InstanceOutput("app1", instance, "stdout"),
        _paths.InstanceOutput("app1", instance, "stderr"));

    private static void Append(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        file.Write(Encoding.UTF8.GetBytes(text));
    }

    private static async Task<IReadOnlyList<StoredLogRecord>> WaitForCountAsync(LogStore store, int count)
    {
        IReadOnlyList<StoredLogRecord> records = [];
        await Wait.UntilAsync(async () => (records = await store.QueryAsync("app1", new LogQuery())).Count >= count, $"{count} records");
        return records;
    }

    [Fact]
    public async Task FilesAppearingLater_WithPartialLine_CompleteLinesIngestedWithStreamAndTrace()
    {
        await using var store = new LogStore(Options());
        await using var tailers = new InstanceOutputTailers(store);
        var output = Output();
        tailers.Start(output);

        Append(output.StdoutPath, "hello\r\nrequest done trace_id=4bf92f3577b34da6a3ce929d0e0e4736 ok\npart");
        Append(output.StderrPath, "{\"level\":\"error\",\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"}\n");
        var records = await WaitForCountAsync(store, 3);
        Append(output.StdoutPath, "ial line\n");
        records = await WaitForCountAsync(store, 4);

        var stdout = records.Where(r => r.Record.Stream == "stdout").Select(r => r.Record).ToList();
        Assert.Equal(["hello", "request done trace_id=4bf92f3577b34da6a3ce929d0e0e4736 ok", "partial line"], stdout.Select(r => r.Message));
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", stdout[1].TraceId);
        Assert.Null(stdout[0].TraceId);
        var stderr = Assert.Single(records, r => r.Record.Stream == "stderr").Record;
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", stderr.TraceId);
        Assert.All(records, r => Assert.Equal((LogSource.App, "web-1", "dep-7"), (r.Record.Source, r.Record.InstanceId, r.Record.DeploymentId)));
    }

    [Fact]
    public async Task Restart_AfterDispose_ResumesFromSavedOffsetWithoutDuplicates()
    {
        var output = Output();
        Append(output.StdoutPath, "one\ntwo\n");
        await using (var store = new LogStore(Options()))
        await using (var tailers = new InstanceOutputTailers(store))
        {
            tailers.Start(output);
            await WaitForCountAsync(store, 2);
        }

        Append(output.StdoutPath, "three\n");
        await using var reopened = new LogStore(Options());
        await using var again = new InstanceOutputTailers(reopened);
        again.Start(output);
        var records = await WaitForCountAsync(reopened, 3);
        await Task.Delay(300);
        records = await reopened.QueryAsync("app1", new LogQuery());

        Assert.Equal(["one", "two", "three"], records.Select(r => r.Record.Message));
    }

    [Fact]
    public async Task Truncation_OfTheFile_ReadsNewContentFromTheStart()
    {
        await using var store = new LogStore(Options());
        await using var tailers = new InstanceOutputTailers(store);
        var output = Output();
        Append(output.StdoutPath, "a fairly long first line\nsecond line\n");
        tailers.Start(output);
        await WaitForCountAsync(store, 2);

        File.WriteAllText(output.StdoutPath, "after\n");
        var records = await WaitForCountAsync(store, 3);

        Assert.Equal("after", records[2].Record.Message);
    }

    [Fact]
    public async Task Stop_AfterInstanceExit_IngestsTheUnterminatedLastLine()
    {
        await using var store = new LogStore(Options());
        await using var tailers = new InstanceOutputTailers(store);
        var output = Output();
        Append(output.StdoutPath, "done\nno newline at exit");
        tailers.Start(output);
        await WaitForCountAsync(store, 1);

        await tailers.StopAsync("app1", "web-1");

        var records = await store.QueryAsync("app1", new LogQuery());
        Assert.Equal(["done", "no newline at exit"], records.Select(r => r.Record.Message));
        Assert.False(tailers.IsRunning("app1", "web-1"));
    }

    public void Dispose() => _dir.Dispose();
}
