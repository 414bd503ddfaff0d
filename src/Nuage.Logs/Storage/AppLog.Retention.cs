using Microsoft.Data.Sqlite;

namespace Nuage.Logs.Storage;

internal sealed partial class AppLog
{
    /// <summary>Runs on the writer: deletes records past the age limit, then the oldest ones until the file fits the size cap.</summary>
    private void ApplyRetention()
    {
        try
        {
            var cutoff = (_time.GetUtcNow() - _options.RetentionAge).UtcTicks;
            var removed = Execute("DELETE FROM records WHERE seq < $1", SequenceAtOrAfter(_writer, cutoff));
            for (var round = 0; round < 8; round++)
            {
                var used = UsedBytes();
                if (used <= _options.RetentionBytes)
                {
                    break;
                }

                var (first, count) = FirstAndCount();
                if (count == 0)
                {
                    break;
                }

                // Aim at 90% of the cap so retention does not run on every write; at least one record per round.
                var fraction = (used - (_options.RetentionBytes * 0.9)) / used;
                var toDelete = Math.Max(1, (long)Math.Ceiling(count * fraction));
                removed += Execute("DELETE FROM records WHERE seq < $1", first + toDelete);
                Execute("PRAGMA incremental_vacuum", null);
            }

            if (removed > 0)
            {
                Execute("PRAGMA incremental_vacuum", null);
                Execute("PRAGMA wal_checkpoint(TRUNCATE)", null);
                LogRetention(_logger, AppId, removed);
            }
        }
        catch (SqliteException ex)
        {
            LogRetentionFailed(_logger, AppId, ex);
        }
    }

    private long UsedBytes()
    {
        using var command = _writer.CreateCommand();
        command.CommandText = "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count()), (SELECT page_size FROM pragma_page_size())";
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt64(0) * reader.GetInt64(1);
    }

    private (long First, long Count) FirstAndCount()
    {
        using var command = _writer.CreateCommand();
        command.CommandText = "SELECT coalesce((SELECT min(seq) FROM records), 0), coalesce((SELECT max(seq) FROM records), 0)";
        using var reader = command.ExecuteReader();
        reader.Read();
        var first = reader.GetInt64(0);
        var last = reader.GetInt64(1);
        return (first, first == 0 ? 0 : last - first + 1);
    }

    private int Execute(string sql, long? arg)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        if (arg is { } value)
        {
            command.Parameters.AddWithValue("$1", value);
        }

        return command.ExecuteNonQuery();
    }
}
