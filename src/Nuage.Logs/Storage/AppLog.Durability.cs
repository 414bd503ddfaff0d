using Microsoft.Data.Sqlite;

namespace Nuage.Logs.Storage;

/// <summary>
/// What tailers need before they free an instance file's ingested bytes: proof that the lines and their offset are
/// on disk (not only committed: with synchronous=NORMAL a power cut may undo the last commits), and a way to forget
/// the offset of a file they removed.
/// </summary>
internal sealed partial class AppLog
{
    private SqliteCommand? _forgetOffset;

    /// <summary>
    /// Completes with true once everything committed before the call is durable (synced to disk). False when the
    /// sync failed (a full disk); ask again later.
    /// </summary>
    public Task<bool> MakeDurableAsync()
    {
        var durable = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new WriteItem { Durable = durable }))
        {
            durable.SetResult(false);
        }

        return durable.Task;
    }

    /// <summary>Deletes a tailer's saved offset once its file is gone; completes when committed.</summary>
    public Task<long> ForgetTailerAsync(string key)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new WriteItem { ForgetKey = key, Done = done }))
        {
            done.SetException(new ObjectDisposedException(nameof(AppLog)));
        }

        return done.Task;
    }

    /// <summary>
    /// Commits one tiny write with synchronous=FULL: in WAL mode that fsyncs the WAL, which holds every earlier commit
    /// too. Unlike a checkpoint it does not depend on readers (drains, follows) letting go of old frames.
    /// </summary>
    private bool SyncToDisk()
    {
        if (_options.SyncEveryCommit)
        {
            return true;
        }

        try
        {
            using var command = _writer.CreateCommand();
            command.CommandText = "PRAGMA synchronous = FULL; BEGIN IMMEDIATE; UPDATE meta SET last_seq = last_seq WHERE id = 1; COMMIT;";
            command.ExecuteNonQuery();
            return true;
        }
        catch (SqliteException)
        {
            Rollback();
            return false;
        }
        finally
        {
            RestoreSynchronous();
        }
    }

    private void Rollback()
    {
        try
        {
            using var rollback = _writer.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // No transaction left open: SQLite already rolled it back.
        }
    }

    private void RestoreSynchronous()
    {
        using var command = _writer.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL";
        command.ExecuteNonQuery();
    }

    private void ForgetOffset(string key, SqliteTransaction tx)
    {
        _forgetOffset ??= _writer.CreateCommand();
        _forgetOffset.CommandText = "DELETE FROM offsets WHERE key = $1";
        _forgetOffset.Transaction = tx;
        _forgetOffset.Parameters.Clear();
        _forgetOffset.Parameters.AddWithValue("$1", key);
        _forgetOffset.ExecuteNonQuery();
    }
}
