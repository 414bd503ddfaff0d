using Microsoft.Data.Sqlite;
using Nuage.Core.Logging;

namespace Nuage.Logs.Storage;

internal sealed partial class AppLog
{
    private const string Schema = """
        PRAGMA auto_vacuum = INCREMENTAL;
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS records(
            seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, source TEXT NOT NULL, instance TEXT,
            deployment TEXT, stream TEXT, trace TEXT, message TEXT NOT NULL);
        DROP INDEX IF EXISTS records_ts;
        CREATE TABLE IF NOT EXISTS offsets(key TEXT PRIMARY KEY, offset INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS meta(id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL, last_ts INTEGER NOT NULL);
        INSERT OR IGNORE INTO meta(id, last_seq, last_ts) VALUES (1, 0, 0);
        """;

    private readonly HashSet<string> _failedKeys = new(StringComparer.Ordinal);
    private RecordInserter? _insert;
    private SqliteCommand? _saveOffset;
    private SqliteCommand? _saveMeta;

    private SqliteConnection OpenWriter()
    {
        Directory.CreateDirectory(_options.Directory);
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = Schema + (_options.SyncEveryCommit ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
            command.ExecuteNonQuery();
            command.CommandText = "SELECT last_seq, last_ts FROM meta WHERE id = 1";
            using var reader = command.ExecuteReader();
            reader.Read();
            _lastSequence = reader.GetInt64(0);
            _lastTicks = reader.GetInt64(1);
        }

        return connection;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var items = new List<WriteItem>();
        while (await reader.WaitToReadAsync())
        {
            items.Clear();
            var records = 0;
            while (records < _options.MaxWriteBatch && reader.TryRead(out var item))
            {
                items.Add(item);
                records += item.Count;
            }

            Exception? failure = null;
            var written = 0;
            try
            {
                written = Commit(items);
            }
            catch (SqliteException ex)
            {
                var full = IsDiskFull(ex);
                failure = full ? FullFailure(ex) : ex;
                if (full)
                {
                    OnDiskFull(items);
                }
                else
                {
                    LogWriteFailed(_logger, AppId, records, ex);
                }

                foreach (var item in items)
                {
                    if (item.OffsetKey is { } key)
                    {
                        _failedKeys.Add(key);
                    }
                }

                ReloadMeta();
            }

            Complete(items, failure);
            if (failure is null)
            {
                OnCommitted();
            }

            if (written > 0)
            {
                _metrics.Ingested(AppId, written);
                Signal();
            }
        }
    }

    private int Commit(List<WriteItem> items)
    {
        var sequence = _lastSequence;
        var ticks = _lastTicks;
        var written = 0;
        using (var tx = _writer.BeginTransaction())
        {
            PrepareCommands(tx);
            written += InsertRetained(ref sequence, ref ticks);
            foreach (var item in items)
            {
                if (item.ResetKey is { } reset)
                {
                    _failedKeys.Remove(reset);
                }

                // A batch after a failed one of the same file would commit an offset past lines never written.
                if (item.OffsetKey is { } failedKey && _failedKeys.Contains(failedKey))
                {
                    item.Refused = true;
                    continue;
                }

                if (item.Record is { } one)
                {
                    _insert!.Insert(one, ref sequence, ref ticks);
                    written++;
                }
                else if (item.Lines is { } lines)
                {
                    _insert!.Insert(lines, ref sequence, ref ticks);
                    written += lines.Count;
                }

                if (item.ForgetKey is { } forget)
                {
                    ForgetOffset(forget, tx);
                }

                if (item.OffsetKey is { } key)
                {
                    _saveOffset!.Parameters[0].Value = key;
                    _saveOffset.Parameters[1].Value = item.Offset;
                    _saveOffset.ExecuteNonQuery();
                }
            }

            if (written > 0)
            {
                _saveMeta!.Parameters[0].Value = sequence;
                _saveMeta.Parameters[1].Value = ticks;
                _saveMeta.ExecuteNonQuery();
            }

            tx.Commit();
        }

        Volatile.Write(ref _lastSequence, sequence);
        _lastTicks = ticks;
        foreach (var item in items)
        {
            if (item.Retention)
            {
                ApplyRetention();
            }

            if (item.Durable is { } durable)
            {
                durable.TrySetResult(SyncToDisk());
            }
        }

        return written;
    }

    private void PrepareCommands(SqliteTransaction tx)
    {
        if (_insert is null)
        {
            _insert = new RecordInserter(_writer);
            _saveOffset = _writer.CreateCommand();
            _saveOffset.CommandText = "INSERT INTO offsets(key, offset) VALUES ($1, $2) ON CONFLICT(key) DO UPDATE SET offset = excluded.offset";
            _saveOffset.Parameters.Add(new SqliteParameter("$1", null));
            _saveOffset.Parameters.Add(new SqliteParameter("$2", null));

            _saveMeta = _writer.CreateCommand();
            _saveMeta.CommandText = "UPDATE meta SET last_seq = $1, last_ts = $2 WHERE id = 1";
            _saveMeta.Parameters.Add(new SqliteParameter("$1", null));
            _saveMeta.Parameters.Add(new SqliteParameter("$2", null));
        }

        _saveOffset!.Transaction = tx;
        _saveMeta!.Transaction = tx;
    }

    private void Complete(List<WriteItem> items, Exception? failure)
    {
        var sinkDone = 0;
        foreach (var item in items)
        {
            if (item.FromSink)
            {
                sinkDone++;
                if (failure is not null && !item.Retained)
                {
                    _metrics.Dropped(AppId, 1);
                }
            }

            if (item.FromTailer)
            {
                _tailerSlots.Release();
            }

            item.Lines?.Release();

            if (item.Refused && IsFull)
            {
                item.Done?.TrySetException(FullFailure(new IOException("an earlier batch of this file was refused")));
            }
            else if (item.Refused)
            {
                item.Done?.TrySetException(new IOException($"batch of {item.OffsetKey} refused after an earlier write failure; the tailer restarts from its saved offset"));
            }
            else if (failure is null)
            {
                item.Done?.TrySetResult(_lastSequence);
            }
            else
            {
                item.Done?.TrySetException(failure);
            }

            if (failure is not null)
            {
                item.Durable?.TrySetResult(false);
            }
        }

        if (sinkDone > 0)
        {
            Interlocked.Add(ref _pendingSink, -sinkDone);
        }
    }

    private void ReloadMeta()
    {
        using var command = _writer.CreateCommand();
        command.CommandText = "SELECT last_seq, last_ts FROM meta WHERE id = 1";
        using var reader = command.ExecuteReader();
        reader.Read();
        Volatile.Write(ref _lastSequence, reader.GetInt64(0));
        _lastTicks = reader.GetInt64(1);
    }

    internal static string SourceName(LogSource source) => source switch
    {
        LogSource.App => "App",
        LogSource.Build => "Build",
        LogSource.Access => "Access",
        LogSource.Platform => "Platform",
        _ => source.ToString(),
    };

    internal static LogSource ParseSource(string name) => name switch
    {
        "App" => LogSource.App,
        "Build" => LogSource.Build,
        "Access" => LogSource.Access,
        "Platform" => LogSource.Platform,
        _ => Enum.Parse<LogSource>(name),
    };
}
