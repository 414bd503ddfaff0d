using Google.Protobuf;
using Nuage.Core.Logging;
using Nuage.Logs.Formatting;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Tests.Drains;

/// <summary>
/// The otlp drain's bytes: the hand-encoded ExportLogsServiceRequest is decoded field by field with
/// Google.Protobuf's CodedInputStream (field numbers from opentelemetry-proto logs/v1). The drain against a real
/// receiver (the Aspire dashboard) is in OtlpDrainAspireDashboardTests.
/// </summary>
public sealed class OtlpLogsEncoderTests
{
    [Fact]
    public void Encode_TwoInstances_GivesOneResourceLogsEachWithAttributesAndRecords()
    {
        var t = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var batch = new[]
        {
            new StoredLogRecord(10, new LogRecord(t, "shop", LogSource.App, "hello", "web-1", "dep-1", "stdout", "4bf92f3577b34da6a3ce929d0e0e4736")),
            new StoredLogRecord(11, new LogRecord(t, "shop", LogSource.App, "oops", "web-2", "dep-1", "stderr")),
        };

        var request = Decode(OtlpLogsEncoder.Encode(batch, "shop-front"));

        var resources = request[1];
        Assert.Equal(2, resources.Count);
        var first = Decode((ByteString)resources[0]);
        var attributes = Attributes(Decode((ByteString)first[1][0])[1]);
        Assert.Equal("shop-front", attributes["service.name"]);
        Assert.Equal("web-1", attributes["service.instance.id"]);
        Assert.Equal("dep-1", attributes["nuage.deployment.id"]);
        var scopeLogs = Decode((ByteString)first[2][0]);
        Assert.Equal("nuage.logs", Decode((ByteString)scopeLogs[1][0])[1][0] is ByteString name ? name.ToStringUtf8() : null);
        var record = Decode((ByteString)scopeLogs[2][0]);
        Assert.Equal((ulong)(t - DateTimeOffset.UnixEpoch).Ticks * 100, record[1][0]);
        Assert.Equal(9UL, record[2][0]);
        Assert.Equal("hello", ((ByteString)Decode((ByteString)record[5][0])[1][0]).ToStringUtf8());
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", Convert.ToHexStringLower(((ByteString)record[9][0]).ToByteArray()));
        var second = Decode((ByteString)Decode((ByteString)Decode((ByteString)resources[1])[2][0])[2][0]);
        Assert.Equal(17UL, second[2][0]);
    }

    private static Dictionary<string, string> Attributes(List<object> keyValues) =>
        keyValues.Select(kv => Decode((ByteString)kv)).ToDictionary(
            kv => ((ByteString)kv[1][0]).ToStringUtf8(),
            kv => ((ByteString)Decode((ByteString)kv[2][0])[1][0]).ToStringUtf8());

    private static Dictionary<int, List<object>> Decode(ByteString bytes) => Decode(bytes.ToByteArray());

    /// <summary>Generic protobuf reader: field number to values (ulong for varint/fixed, ByteString for length-delimited).</summary>
    private static Dictionary<int, List<object>> Decode(byte[] bytes)
    {
        var fields = new Dictionary<int, List<object>>();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            object value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => input.ReadUInt64(),
                WireFormat.WireType.Fixed64 => input.ReadFixed64(),
                WireFormat.WireType.Fixed32 => (ulong)input.ReadFixed32(),
                WireFormat.WireType.LengthDelimited => input.ReadBytes(),
                var other => throw new InvalidDataException($"unexpected wire type {other}"),
            };
            var number = WireFormat.GetTagFieldNumber(tag);
            if (!fields.TryGetValue(number, out var list))
            {
                fields[number] = list = [];
            }

            list.Add(value);
        }

        return fields;
    }
}
