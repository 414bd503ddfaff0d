using Nuage.Core.Logging;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Storage;

public sealed class RecordRangeReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task ReadAfter_MixedRepeatingAndNullFields_MatchesTheGeneralQueryRecordForRecord()
    {
        // Given records whose instance, deployment, stream, source and trace repeat, change and go null
        await using var store = new LogStore(new LogStoreOptions { Directory = _dir.Sub("store") });
        string?[] instances = ["web-1", "web-1", null, "web-2", "web-2", "web-1", "wéb-3"];
        for (var i = 0; i < 40; i++)
        {
            var source = i % 5 == 4 ? LogSource.Platform : LogSource.App;
            store.Sink.Write(new LogRecord(default, "shop", source, $"line {i} ✓", instances[i % instances.Length],
                i % 3 == 0 ? null : "dep-" + (i / 10), i % 2 == 0 ? "stdout" : "stderr", i % 7 == 0 ? "4bf92f3577b34da6a3ce929d0e0e4736" : null));
        }

        await store.FlushAsync("shop");
        var app = store.Get("shop");
        var reader = new RecordRangeReader("shop");

        // When the drains' range read and the general query read the same ranges
        var expected = await store.QueryAsync("shop", new LogQuery { AfterSequence = 5, Limit = 30 });
        var actual = app.ReadAfter(reader, 5, 30);
        var rest = app.ReadAfter(reader, 35, 1000);

        // Then they return equal records, in order, and the range ends at the log's end
        Assert.Equal(expected, actual);
        Assert.Equal(30, actual.Count);
        Assert.Equal([36L, 37L, 38L, 39L, 40L], rest.Select(r => r.Sequence));
        Assert.Equal("line 39 ✓", rest[^1].Record.Message);
    }

    public void Dispose() => _dir.Dispose();
}
