using Microsoft.Data.Sqlite;
using Nuage.Core.State;
using Nuage.Core.Usage;

namespace Nuage.State.Sqlite;

/// <summary>Usage intervals in Unix milliseconds; a partial unique index keeps one open interval per instance.</summary>
internal sealed class SqliteUsageStore(SqliteDb db) : IUsageStore
{
    private const string Columns = "id, instance_id, subject_kind, subject_id, subject_name, org_id, flavor, started_at, last_seen_at, ended_at";

    // An interval's share of [from, to): an open one runs until now.
    private const string Clipped = "MAX(0, MIN(COALESCE(ended_at, $now), $to) - MAX(started_at, $from))";

    public async Task<bool> TryOpenAsync(UsageInterval interval, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO usage_intervals (instance_id, subject_kind, subject_id, subject_name, org_id, flavor, started_at, last_seen_at)
            VALUES ($instance, $kind, $subject, $name, $org, $flavor, $started, $started)
            ON CONFLICT DO NOTHING;
            """,
            ("$instance", interval.InstanceId),
            ("$kind", interval.SubjectKind),
            ("$subject", interval.SubjectId),
            ("$name", interval.SubjectName),
            ("$org", interval.OrgId),
            ("$flavor", interval.Flavor),
            ("$started", interval.StartedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> CloseAsync(string instanceId, long endedAt, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE usage_intervals SET ended_at = MAX(started_at, $end), last_seen_at = MAX(started_at, $end) WHERE instance_id = $instance AND ended_at IS NULL;",
            ("$instance", instanceId), ("$end", endedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<UsageInterval>> ListOpenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM usage_intervals WHERE ended_at IS NULL ORDER BY id;");
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<long?> LastEndAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT MAX(ended_at) FROM usage_intervals WHERE instance_id = $instance;", ("$instance", instanceId));
        return await command.ExecuteScalarAsync(cancellationToken) is long end ? end : null;
    }

    public async Task CheckpointAsync(IReadOnlyCollection<string> instanceIds, long at, CancellationToken cancellationToken)
    {
        if (instanceIds.Count == 0)
        {
            return;
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE usage_intervals SET last_seen_at = MAX(last_seen_at, $at) WHERE instance_id = $instance AND ended_at IS NULL;",
            ("$at", at), ("$instance", string.Empty));
        command.Transaction = transaction;
        foreach (var id in instanceIds)
        {
            command.Parameters["$instance"].Value = id;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UsageTotal>> SumAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = Filtered(
            connection,
            $"SELECT org_id, subject_kind, subject_id, MAX(subject_name), flavor, SUM({Clipped}) FROM usage_intervals WHERE {{0}} GROUP BY org_id, subject_kind, subject_id, flavor ORDER BY org_id, subject_kind, MAX(subject_name), flavor;",
            query);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var totals = new List<UsageTotal>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var milliseconds = reader.GetInt64(5);
            if (milliseconds > 0)
            {
                totals.Add(new UsageTotal(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), milliseconds / 1000.0));
            }
        }

        return totals;
    }

    public async Task<IReadOnlyList<UsageInterval>> ListAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = Filtered(connection, $"SELECT {Columns} FROM usage_intervals WHERE {{0}} ORDER BY started_at, id;", query);
        return await ReadAllAsync(command, cancellationToken);
    }

    private static SqliteCommand Filtered(SqliteConnection connection, string sql, UsageQuery query)
    {
        var conditions = new List<string> { "started_at < $to", "COALESCE(ended_at, $now) > $from" };
        var parameters = new List<(string, object)> { ("$from", query.From), ("$to", query.To), ("$now", query.Now) };
        if (query.OrgId is { } org)
        {
            conditions.Add("org_id = $org");
            parameters.Add(("$org", org));
        }

        if (query.SubjectKind is { } kind)
        {
            conditions.Add("subject_kind = $kind");
            parameters.Add(("$kind", kind));
        }

        if (query.SubjectId is { } subject)
        {
            conditions.Add("subject_id = $subject");
            parameters.Add(("$subject", subject));
        }

        return connection.Command(string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, string.Join(" AND ", conditions)), [.. parameters]);
    }

    private static async Task<IReadOnlyList<UsageInterval>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<UsageInterval>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new UsageInterval
            {
                Id = reader.GetInt64(0),
                InstanceId = reader.GetString(1),
                SubjectKind = reader.GetString(2),
                SubjectId = reader.GetString(3),
                SubjectName = reader.GetString(4),
                OrgId = reader.GetString(5),
                Flavor = reader.GetString(6),
                StartedAt = reader.GetInt64(7),
                LastSeenAt = reader.GetInt64(8),
                EndedAt = reader.IsDBNull(9) ? null : reader.GetInt64(9),
            });
        }

        return list;
    }
}
