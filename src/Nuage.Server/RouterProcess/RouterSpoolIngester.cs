using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nuage.Core.FileSystem;
using Nuage.Core.Logging;
using Nuage.Router;
using Nuage.Router.Standalone;

namespace Nuage.Server.RouterProcess;

/// <summary>
/// Reads the router process's access-log spool into the log store and the request metrics, oldest segment first, and deletes
/// each segment once read. Records spooled while the server was away are ingested when it returns (at least once: a server
/// killed in the middle of a segment reads it again).
/// </summary>
internal sealed partial class RouterSpoolIngester(string spool, ILogSink sink, NuageRouter metrics, ILogger logger)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Ingests every closed segment; returns the number of access records read.</summary>
    public int IngestOnce()
    {
        using var folder = BeneathDirectory.OpenRoot(spool);
        if (folder is null)
        {
            return 0;
        }

        var records = 0;
        foreach (var segment in RouterSpool.Segments(folder))
        {
            using (var reader = new StreamReader(folder.OpenRead(segment)))
            {
                while (reader.ReadLine() is { } line)
                {
                    records += Ingest(line) ? 1 : 0;
                }
            }

            folder.Delete(segment);
        }

        return records;
    }

    private bool Ingest(string line)
    {
        SpoolLine? entry;
        try
        {
            entry = JsonSerializer.Deserialize<SpoolLine>(line, RouterJson.Options);
        }
        catch (JsonException)
        {
            return false; // a torn last line of a segment written when the router was killed
        }

        if (entry is { Dropped: > 0 })
        {
            metrics.RecordSpoolDrops(entry.Dropped);
            LogDropped(logger, entry.Dropped);
        }

        if (entry?.Record is not { } record)
        {
            return false;
        }

        sink.Write(record);
        if (TryReadAccessLine(record.Message, out var status, out var durationMs))
        {
            metrics.RecordSpooledRequest(record.AppId, status, TimeSpan.FromMilliseconds(durationMs));
        }

        return true;
    }

    /// <summary>Status and duration of an access-log line (logfmt: <c>method=GET path="/a b" status=200 … duration_ms=0.8 …</c>).</summary>
    internal static bool TryReadAccessLine(string message, out int status, out double durationMs)
    {
        status = 0;
        durationMs = 0;
        var (foundStatus, foundDuration) = (false, false);
        var i = 0;
        while (i < message.Length)
        {
            var equals = message.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var key = message.AsSpan(i, equals - i);
            var valueStart = equals + 1;
            var valueEnd = valueStart;
            if (valueEnd < message.Length && message[valueEnd] == '"')
            {
                // A quoted value (a path or request id with spaces, quotes or '='): skip to its closing, unescaped quote.
                for (valueEnd++; valueEnd < message.Length && message[valueEnd] != '"'; valueEnd++)
                {
                    valueEnd += message[valueEnd] == '\\' ? 1 : 0;
                }

                valueEnd = Math.Min(valueEnd + 1, message.Length);
            }
            else
            {
                var space = message.IndexOf(' ', valueStart);
                valueEnd = space < 0 ? message.Length : space;
            }

            var value = message.AsSpan(valueStart, valueEnd - valueStart);
            if (key.SequenceEqual("status"))
            {
                foundStatus = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out status);
            }
            else if (key.SequenceEqual("duration_ms"))
            {
                foundDuration = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out durationMs);
            }

            i = valueEnd + 1;
        }

        return foundStatus && foundDuration;
    }

    [LoggerMessage(EventId = 2860, Level = LogLevel.Warning, Message = "The router process dropped {Count} access record(s) while the server was away: its spool was full (raise 'nuage router --spool-mib')")]
    private static partial void LogDropped(ILogger logger, long count);
}
