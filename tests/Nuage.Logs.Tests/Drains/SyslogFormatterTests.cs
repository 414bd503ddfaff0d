using System.Buffers;
using System.Text;
using Nuage.Core.Logging;
using Nuage.Logs.Formatting;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Tests.Drains;

public sealed class SyslogFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 10, 11, 12, TimeSpan.Zero);

    [Fact]
    public void Write_RecordsWithEscapesNullsAndUnicode_ProducesExactRfc5424Bytes()
    {
        // Given a drain formatter with user sd-params and records that exercise every field
        var formatter = new SyslogFormatter("host-a", "shop-front", "env=\"prod\"");
        var full = new StoredLogRecord(7, new LogRecord(At.AddTicks(1_234_567), "shop", LogSource.App, "héllo ✓",
            "web 1", "dep\"x]", "stderr", "4bf92f3577b34da6a3ce929d0e0e4736"));
        var bare = new StoredLogRecord(8, new LogRecord(At, "shop", LogSource.Platform, "deployed"));
        var output = new ArrayBufferWriter<byte>(16);

        // When both are written into one small, growing buffer
        formatter.Write(full, output);
        var first = Encoding.UTF8.GetString(output.WrittenSpan);
        output.ResetWrittenCount();
        formatter.Write(bare, output);
        var second = Encoding.UTF8.GetString(output.WrittenSpan);

        // Then the bytes are the RFC 5424 messages, written out by hand here
        Assert.Equal(
            "<11>1 2026-11-27T10:11:12.123456Z host-a shop-front web_1 app "
            + "[nuage@32473 app=\"shop\" instance=\"web 1\" deployment=\"dep\\\"x\\]\" trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\" seq=\"7\" env=\"prod\"] héllo ✓",
            first);
        Assert.Equal("<14>1 2026-11-27T10:11:12.000000Z host-a shop-front - platform [nuage@32473 app=\"shop\" seq=\"8\" env=\"prod\"] deployed", second);
    }

    [Fact]
    public void Write_InstanceChangesBetweenRecords_EachRecordNamesItsOwnInstance()
    {
        // Given records alternating between instances (the formatter caches the last encoded value)
        var formatter = new SyslogFormatter("h", "a", null);
        var output = new ArrayBufferWriter<byte>();
        var texts = new List<string>();
        foreach (var (seq, instance) in new[] { (1L, "web-1"), (2L, "web-2"), (3L, "web-2"), (4L, (string?)null), (5L, "web-1") })
        {
            output.ResetWrittenCount();
            formatter.Write(new StoredLogRecord(seq, new LogRecord(At, "shop", LogSource.App, "m", instance)), output);
            texts.Add(Encoding.UTF8.GetString(output.WrittenSpan));
        }

        // Then each message carries its own PROCID and instance parameter
        Assert.Contains(" a web-1 app [nuage@32473 app=\"shop\" instance=\"web-1\" seq=\"1\"]", texts[0], StringComparison.Ordinal);
        Assert.Contains(" a web-2 app [nuage@32473 app=\"shop\" instance=\"web-2\" seq=\"2\"]", texts[1], StringComparison.Ordinal);
        Assert.Contains(" a web-2 app [nuage@32473 app=\"shop\" instance=\"web-2\" seq=\"3\"]", texts[2], StringComparison.Ordinal);
        Assert.Contains(" a - app [nuage@32473 app=\"shop\" seq=\"4\"]", texts[3], StringComparison.Ordinal);
        Assert.Contains(" a web-1 app [nuage@32473 app=\"shop\" instance=\"web-1\" seq=\"5\"]", texts[4], StringComparison.Ordinal);
    }
}
