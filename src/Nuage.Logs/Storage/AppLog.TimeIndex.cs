using Microsoft.Data.Sqlite;

namespace Nuage.Logs.Storage;

internal sealed partial class AppLog
{
    /// <summary>
    /// The first sequence whose timestamp is at or after <paramref name="ticks"/> (one past the last when none is).
    /// Timestamps never decrease along sequences (the writer stamps max(previous, arrival)), so a binary search over
    /// rowid seeks replaces an index on ts, which cost ~20% of the ingest CPU to maintain.
    /// </summary>
    private static long SequenceAtOrAfter(SqliteConnection connection, long ticks)
    {
        using var bounds = connection.CreateCommand();
        bounds.CommandText = "SELECT coalesce((SELECT min(seq) FROM records), 1), coalesce((SELECT max(seq) FROM records), 0)";
        long low, high;
        using (var reader = bounds.ExecuteReader())
        {
            reader.Read();
            low = reader.GetInt64(0);
            high = reader.GetInt64(1) + 1;
        }

        using var probe = connection.CreateCommand();
        probe.CommandText = "SELECT seq, ts FROM records WHERE seq >= $seq ORDER BY seq LIMIT 1";
        var seq = probe.Parameters.Add("$seq", SqliteType.Integer);
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            seq.Value = mid;
            using var reader = probe.ExecuteReader();
            if (!reader.Read())
            {
                high = mid;
                continue;
            }

            if (reader.GetInt64(1) >= ticks)
            {
                high = mid;
            }
            else
            {
                low = reader.GetInt64(0) + 1;
            }
        }

        return low;
    }
}
