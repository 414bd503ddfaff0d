using Google.Protobuf;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Formatting;

/// <summary>
/// Hand-encodes opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest: one ResourceLogs per
/// (instance, deployment) with resource attributes service.name, service.instance.id and nuage.deployment.id.
/// </summary>
internal static class OtlpLogsEncoder
{
    public const string ScopeName = "nuage.logs";

    public static byte[] Encode(IReadOnlyList<StoredLogRecord> batch, string appName)
    {
        using var request = new MemoryStream();
        var output = new CodedOutputStream(request, leaveOpen: true);
        foreach (var group in batch.GroupBy(r => (r.Record.InstanceId, r.Record.DeploymentId)))
        {
            var resourceLogs = Message(o =>
            {
                WriteMessage(o, 1, Message(resource =>
                {
                    WriteAttribute(resource, 1, "service.name", appName);
                    WriteAttribute(resource, 1, "nuage.app.id", group.First().Record.AppId);
                    if (group.Key.InstanceId is { } instance)
                    {
                        WriteAttribute(resource, 1, "service.instance.id", instance);
                    }

                    if (group.Key.DeploymentId is { } deployment)
                    {
                        WriteAttribute(resource, 1, "nuage.deployment.id", deployment);
                    }
                }));
                WriteMessage(o, 2, Message(scopeLogs =>
                {
                    WriteMessage(scopeLogs, 1, Message(scope => WriteString(scope, 1, ScopeName)));
                    foreach (var stored in group)
                    {
                        WriteMessage(scopeLogs, 2, LogRecord(stored));
                    }
                }));
            });
            WriteMessage(output, 1, resourceLogs);
        }

        output.Flush();
        return request.ToArray();
    }

    private static byte[] LogRecord(StoredLogRecord stored)
    {
        var r = stored.Record;
        return Message(o =>
        {
            var nanos = (ulong)(r.Timestamp.UtcTicks - DateTime.UnixEpoch.Ticks) * 100UL;
            o.WriteTag(1, WireFormat.WireType.Fixed64);
            o.WriteFixed64(nanos);
            var error = SyslogFormatter.Severity(r) == 3;
            o.WriteTag(2, WireFormat.WireType.Varint);
            o.WriteEnum(error ? 17 : 9);
            WriteString(o, 3, error ? "ERROR" : "INFO");
            WriteMessage(o, 5, Message(body => WriteString(body, 1, r.Message)));
            WriteAttribute(o, 6, "nuage.source", r.Source.ToString().ToLowerInvariant());
            WriteIntAttribute(o, 6, "nuage.sequence", stored.Sequence);
            if (r.Stream is not null)
            {
                WriteAttribute(o, 6, "log.iostream", r.Stream);
            }

            if (r.TraceId is { Length: 32 } trace)
            {
                o.WriteTag(9, WireFormat.WireType.LengthDelimited);
                o.WriteBytes(ByteString.CopyFrom(Convert.FromHexString(trace)));
            }

            o.WriteTag(11, WireFormat.WireType.Fixed64);
            o.WriteFixed64(nanos);
        });
    }

    private static void WriteAttribute(CodedOutputStream o, int field, string key, string value) =>
        WriteMessage(o, field, Message(kv =>
        {
            WriteString(kv, 1, key);
            WriteMessage(kv, 2, Message(any => WriteString(any, 1, value)));
        }));

    private static void WriteIntAttribute(CodedOutputStream o, int field, string key, long value) =>
        WriteMessage(o, field, Message(kv =>
        {
            WriteString(kv, 1, key);
            WriteMessage(kv, 2, Message(any =>
            {
                any.WriteTag(3, WireFormat.WireType.Varint);
                any.WriteInt64(value);
            }));
        }));

    private static void WriteString(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }

    private static void WriteMessage(CodedOutputStream o, int field, byte[] message)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(message));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var o = new CodedOutputStream(stream, leaveOpen: true);
        write(o);
        o.Flush();
        return stream.ToArray();
    }
}
