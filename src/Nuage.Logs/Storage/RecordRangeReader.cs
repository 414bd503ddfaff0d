using System.Text;
using Microsoft.Data.Sqlite;
using Nuage.Core.Logging;
using SQLitePCL;

namespace Nuage.Logs.Storage;

/// <summary>
/// Reads a plain range of records (after a sequence, ascending) through the raw SQLite API, for drains. Columns
/// that repeat from row to row (source, instance, deployment, stream) are compared as UTF-8 bytes with the previous
/// row and their string reused, so a record costs its message string and two small objects.
/// </summary>
internal sealed class RecordRangeReader
{
    private const string Sql = "SELECT seq, ts, source, instance, deployment, stream, trace, message FROM records WHERE seq > ?1 ORDER BY seq LIMIT ?2";

    private readonly string _appId;
    private readonly RepeatedColumn _source = new();
    private readonly RepeatedColumn _instance = new();
    private readonly RepeatedColumn _deployment = new();
    private readonly RepeatedColumn _stream = new();

    public RecordRangeReader(string appId) => _appId = appId;

    public List<StoredLogRecord> Read(SqliteConnection connection, long afterSequence, int limit)
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, Sql, out var statement));
        using (statement)
        {
            Check(db, raw.sqlite3_bind_int64(statement, 1, afterSequence));
            Check(db, raw.sqlite3_bind_int64(statement, 2, limit));
            var records = new List<StoredLogRecord>(Math.Min(limit, 4096));
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                records.Add(new StoredLogRecord(
                    raw.sqlite3_column_int64(statement, 0),
                    new LogRecord(
                        new DateTimeOffset(raw.sqlite3_column_int64(statement, 1), TimeSpan.Zero),
                        _appId,
                        AppLog.ParseSource(_source.Get(statement, 2)!),
                        Text(statement, 7)!,
                        _instance.Get(statement, 3),
                        _deployment.Get(statement, 4),
                        _stream.Get(statement, 5),
                        Text(statement, 6))));
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            return records;
        }
    }

    private static string? Text(sqlite3_stmt statement, int column) =>
        raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL ? null : Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, column));

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    /// <summary>The last value of one column, as bytes and string.</summary>
    private sealed class RepeatedColumn
    {
        private byte[]? _bytes;
        private string? _text;

        public string? Get(sqlite3_stmt statement, int column)
        {
            if (raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL)
            {
                return null;
            }

            var bytes = raw.sqlite3_column_blob(statement, column);
            if (_bytes is null || !bytes.SequenceEqual(_bytes))
            {
                _bytes = bytes.ToArray();
                _text = Encoding.UTF8.GetString(bytes);
            }

            return _text;
        }
    }
}
