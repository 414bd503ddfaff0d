using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Nuage.Core.Audit;
using Nuage.Core.State;
using static Nuage.State.Sqlite.SqliteValues;

namespace Nuage.State.Sqlite;

internal sealed class SqliteAuditStore(SqliteDb db) : IAuditStore
{
    private const string Columns = "seq, at, actor, org_id, entry_point, action, target, request_id, outcome, detail, previous_hash, hash";

    public async Task<AuditEntry?> LastAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM audit ORDER BY seq DESC LIMIT 1;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO audit ({Columns}) VALUES ($seq, $at, $actor, $org, $entry, $action, $target, $request, $outcome, $detail, $previous, $hash);",
            ("$seq", entry.Seq),
            ("$at", Time(entry.At)),
            ("$actor", entry.Actor),
            ("$org", Text(entry.OrgId)),
            ("$entry", entry.EntryPoint),
            ("$action", entry.Action),
            ("$target", Text(entry.Target)),
            ("$request", entry.RequestId),
            ("$outcome", entry.Outcome),
            ("$detail", Text(entry.Detail)),
            ("$previous", entry.PreviousHash),
            ("$hash", entry.Hash));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string> { "1 = 1" };
        var parameters = new List<(string, object)> { ("$limit", query.Limit) };
        if (query.OrgId is { } org)
        {
            where.Add("org_id = $org");
            parameters.Add(("$org", org));
        }

        if (query.Target is { } target)
        {
            where.Add("target = $target");
            parameters.Add(("$target", target));
        }

        if (query.Since is { } since)
        {
            where.Add("at >= $since");
            parameters.Add(("$since", Time(since)));
        }

        if (query.BeforeSeq is { } before)
        {
            where.Add("seq < $before");
            parameters.Add(("$before", before));
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM audit WHERE {string.Join(" AND ", where)} ORDER BY seq DESC LIMIT $limit;", [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader));
        }

        return entries;
    }

    public async IAsyncEnumerable<AuditEntry> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM audit ORDER BY seq;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    private static AuditEntry Read(SqliteDataReader reader) => new()
    {
        Seq = reader.GetInt64(0),
        At = ReadTime(reader, 1),
        Actor = reader.GetString(2),
        OrgId = ReadOptionalText(reader, 3),
        EntryPoint = reader.GetString(4),
        Action = reader.GetString(5),
        Target = ReadOptionalText(reader, 6),
        RequestId = reader.GetString(7),
        Outcome = reader.GetString(8),
        Detail = ReadOptionalText(reader, 9),
        PreviousHash = reader.GetString(10),
        Hash = reader.GetString(11),
    };
}
