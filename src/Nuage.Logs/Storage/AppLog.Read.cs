using System.Text;
using Microsoft.Data.Sqlite;
using Nuage.Core.Logging;

namespace Nuage.Logs.Storage;

internal sealed partial class AppLog
{
    public async Task<List<StoredLogRecord>> QueryAsync(LogQuery query, long? upTo, CancellationToken ct)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT seq, ts, source, instance, deployment, stream, trace, message FROM records WHERE seq > $after");
        command.Parameters.AddWithValue("$after", query.AfterSequence ?? 0);
        if (upTo is { } max)
        {
            sql.Append(" AND seq <= $upto");
            command.Parameters.AddWithValue("$upto", max);
        }

        // Time bounds become sequence bounds (timestamps never decrease along sequences; see SequenceAtOrAfter).
        if (query.Since is { } since)
        {
            sql.Append(" AND seq >= $since");
            command.Parameters.AddWithValue("$since", SequenceAtOrAfter(connection, since.UtcTicks));
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND seq < $until");
            command.Parameters.AddWithValue("$until", SequenceAtOrAfter(connection, until.UtcTicks));
        }

        var filter = query.Filter;
        if (filter.Source is { } source)
        {
            sql.Append(" AND source = $source");
            command.Parameters.AddWithValue("$source", SourceName(source));
        }

        if (!string.IsNullOrEmpty(filter.InstanceId))
        {
            sql.Append(" AND instance = $instance");
            command.Parameters.AddWithValue("$instance", filter.InstanceId);
        }

        if (!string.IsNullOrEmpty(filter.Search))
        {
            sql.Append(" AND message LIKE $search ESCAPE '\\'");
            command.Parameters.AddWithValue("$search", "%" + EscapeLike(filter.Search) + "%");
        }

        sql.Append(query.Newest ? " ORDER BY seq DESC" : " ORDER BY seq").Append(" LIMIT $limit");
        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, LogQuery.MaxLimit));
        command.CommandText = sql.ToString();

        var results = new List<StoredLogRecord>();
        using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            results.Add(ReadRecord(reader));
        }

        if (query.Newest)
        {
            results.Reverse();
        }

        return results;
    }

    /// <summary>Up to <paramref name="limit"/> records after <paramref name="afterSequence"/>, unfiltered (the drains' read).</summary>
    public List<StoredLogRecord> ReadAfter(RecordRangeReader reader, long afterSequence, int limit)
    {
        using var connection = OpenReader();
        return reader.Read(connection, afterSequence, limit);
    }

    private StoredLogRecord ReadRecord(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        new LogRecord(
            new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
            AppId,
            ParseSource(reader.GetString(2)),
            reader.GetString(7),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6)));

    public long? ReadOffset(string key)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT offset FROM offsets WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is long offset ? offset : null;
    }

    public async Task<AppLogStats> StatsAsync(CancellationToken ct)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        // Separate subqueries: SQLite answers a lone min() or max() of the rowid from the b-tree edge, but a query
        // with both aggregates scans the whole table (it made every stats call O(lines)).
        command.CommandText = """
            SELECT coalesce((SELECT min(seq) FROM records), 0), coalesce((SELECT max(seq) FROM records), 0),
                   (SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size())
            """;
        using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var first = reader.GetInt64(0);
        var last = reader.GetInt64(1);
        var count = first == 0 ? 0 : last - first + 1;
        return new AppLogStats(AppId, first == 0 ? LastSequence + 1 : first, LastSequence, count, reader.GetInt64(2));
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
