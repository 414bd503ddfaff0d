using Microsoft.Data.Sqlite;
using Nuage.Core.Logging;
using SQLitePCL;

namespace Nuage.Logs.Storage;

/// <summary>
/// The writer's one prepared INSERT, driven through the raw SQLite API: values are bound straight from UTF-8 spans
/// and longs (no boxed parameter values, no string per line), and fields shared by a batch are bound once —
/// SQLite keeps bindings across resets. Runs inside the transaction the writer opened on the same connection.
/// </summary>
internal sealed class RecordInserter : IDisposable
{
    private const int Seq = 1;
    private const int Ts = 2;
    private const int Source = 3;
    private const int Instance = 4;
    private const int Deployment = 5;
    private const int Stream = 6;
    private const int Trace = 7;
    private const int Message = 8;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RecordInserter(SqliteConnection connection)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db,
            "INSERT INTO records(seq, ts, source, instance, deployment, stream, trace, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            out _statement));
    }

    /// <summary>Inserts every line of a tailer batch, numbering from <paramref name="sequence"/> + 1.</summary>
    public void Insert(LineBatch batch, ref long sequence, ref long ticks)
    {
        ticks = Math.Max(ticks, batch.Ticks);
        var origin = batch.Origin;
        Check(raw.sqlite3_bind_text(_statement, Source, SourceUtf8(LogSource.App)));
        BindOrNull(Instance, origin.Instance);
        BindOrNull(Deployment, origin.Deployment);
        Check(raw.sqlite3_bind_text(_statement, Stream, origin.Stream));
        Check(raw.sqlite3_bind_int64(_statement, Ts, ticks));
        for (var i = 0; i < batch.Count; i++)
        {
            Check(raw.sqlite3_bind_int64(_statement, Seq, ++sequence));
            BindOrNull(Trace, batch.TraceId(i));
            Check(raw.sqlite3_bind_text(_statement, Message, batch.Line(i)));
            Step();
        }
    }

    /// <summary>Inserts one record from the in-process sink.</summary>
    public void Insert(LogRecord record, ref long sequence, ref long ticks)
    {
        ticks = Math.Max(ticks, record.Timestamp.UtcTicks);
        Check(raw.sqlite3_bind_int64(_statement, Seq, ++sequence));
        Check(raw.sqlite3_bind_int64(_statement, Ts, ticks));
        Check(raw.sqlite3_bind_text(_statement, Source, SourceUtf8(record.Source)));
        BindOrNull(Instance, record.InstanceId);
        BindOrNull(Deployment, record.DeploymentId);
        BindOrNull(Stream, record.Stream);
        BindOrNull(Trace, record.TraceId);
        Check(raw.sqlite3_bind_text(_statement, Message, record.Message));
        Step();
    }

    private void Step()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void BindOrNull(int index, byte[]? utf8) =>
        Check(utf8 is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, utf8));

    private void BindOrNull(int index, string? text) =>
        Check(text is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, text));

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    /// <summary>The stored source names (see AppLog.SourceName), as UTF-8.</summary>
    private static ReadOnlySpan<byte> SourceUtf8(LogSource source) => source switch
    {
        LogSource.App => "App"u8,
        LogSource.Build => "Build"u8,
        LogSource.Access => "Access"u8,
        LogSource.Platform => "Platform"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown log source"),
    };

    public void Dispose() => _statement.Dispose();
}
