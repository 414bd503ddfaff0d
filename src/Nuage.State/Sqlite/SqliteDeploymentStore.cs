using System.Text.Json;
using Microsoft.Data.Sqlite;
using Nuage.Core.State;
using static Nuage.State.Sqlite.SqliteValues;

namespace Nuage.State.Sqlite;

internal sealed class SqliteDeploymentStore(SqliteDb db) : IDeploymentStore
{
    private const string Columns =
        "id, app_id, kind, state, commit_id, commit_message, source_deployment_id, release_built, start_plan, created_at, started_at, finished_at, failed_stage, failure_reason, stages";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task CreateAsync(DeploymentRecord deployment, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO deployments ({Columns}) VALUES ($id, $app, $kind, $state, $commit, $message, $source, $built, $plan, $created, $started, $finished, $failedStage, $reason, $stages);",
            Parameters(deployment));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task UpdateAsync(DeploymentRecord deployment, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            UPDATE deployments SET state = $state, commit_id = $commit, commit_message = $message, release_built = $built, start_plan = $plan,
                started_at = $started, finished_at = $finished, failed_stage = $failedStage, failure_reason = $reason, stages = $stages
            WHERE id = $id;
            """,
            Parameters(deployment));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DeploymentRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var found = await QueryAsync("WHERE id = $key", cancellationToken, ("$key", id));
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<DeploymentRecord>> ListAsync(string appId, string? beforeId, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            beforeId is null ? "WHERE app_id = $app ORDER BY id DESC LIMIT $limit" : "WHERE app_id = $app AND id < $before ORDER BY id DESC LIMIT $limit",
            cancellationToken,
            ("$app", appId),
            ("$before", beforeId ?? string.Empty),
            ("$limit", limit));

    public async Task<IReadOnlyDictionary<string, DeploymentRecord>> LatestAsync(IReadOnlyCollection<string> appIds, CancellationToken cancellationToken)
    {
        if (appIds.Count == 0)
        {
            return new Dictionary<string, DeploymentRecord>();
        }

        // Ids sort by creation time, so the greatest id per app is its newest deployment.
        var names = appIds.Select((_, i) => $"$a{i}").ToList();
        var found = await QueryAsync(
            $"WHERE id IN (SELECT MAX(id) FROM deployments WHERE app_id IN ({string.Join(", ", names)}) GROUP BY app_id)",
            cancellationToken,
            [.. appIds.Select((id, i) => (names[i], (object)id))]);
        return found.ToDictionary(d => d.AppId, StringComparer.Ordinal);
    }

    public Task<IReadOnlyList<DeploymentRecord>> ListUnfinishedAsync(CancellationToken cancellationToken) =>
        QueryAsync("WHERE state IN ('Queued', 'Running') ORDER BY id", cancellationToken);

    private async Task<IReadOnlyList<DeploymentRecord>> QueryAsync(string where, CancellationToken cancellationToken, params (string, object)[] parameters)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM deployments {where};", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<DeploymentRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    private static (string, object)[] Parameters(DeploymentRecord d) =>
    [
        ("$id", d.Id),
        ("$app", d.AppId),
        ("$kind", d.Kind.ToString()),
        ("$state", d.State.ToString()),
        ("$commit", Text(d.CommitId)),
        ("$message", Text(d.CommitMessage)),
        ("$source", Text(d.SourceDeploymentId)),
        ("$built", d.ReleaseBuilt ? 1 : 0),
        ("$plan", Text(d.StartPlan)),
        ("$created", Time(d.CreatedAt)),
        ("$started", Time(d.StartedAt)),
        ("$finished", Time(d.FinishedAt)),
        ("$failedStage", Text(d.FailedStage)),
        ("$reason", Text(d.FailureReason)),
        ("$stages", JsonSerializer.Serialize(d.Stages, Json)),
    ];

    private static DeploymentRecord Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        AppId = r.GetString(1),
        Kind = Enum.Parse<DeploymentKind>(r.GetString(2)),
        State = Enum.Parse<DeploymentState>(r.GetString(3)),
        CommitId = ReadOptionalText(r, 4),
        CommitMessage = ReadOptionalText(r, 5),
        SourceDeploymentId = ReadOptionalText(r, 6),
        ReleaseBuilt = r.GetInt32(7) != 0,
        StartPlan = ReadOptionalText(r, 8),
        CreatedAt = ReadTime(r, 9),
        StartedAt = ReadOptionalTime(r, 10),
        FinishedAt = ReadOptionalTime(r, 11),
        FailedStage = ReadOptionalText(r, 12),
        FailureReason = ReadOptionalText(r, 13),
        Stages = JsonSerializer.Deserialize<List<StageRecord>>(r.GetString(14), Json) ?? [],
    };
}
