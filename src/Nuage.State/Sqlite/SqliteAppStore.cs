using Microsoft.Data.Sqlite;
using Nuage.Core.Apps;
using Nuage.Core.State;
using static Nuage.State.Sqlite.SqliteValues;

namespace Nuage.State.Sqlite;

internal sealed class SqliteAppStore(SqliteDb db) : IAppStore
{
    private const string Columns = "id, name, runtime, flavor, instances, running, current_deployment_id, created_at, uid_index, org_id";

    public async Task<bool> TryCreateAsync(AppConfig app, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO apps ({Columns}) VALUES ($id, $name, $runtime, $flavor, $instances, $running, $current, $created, (SELECT COALESCE(MAX(uid_index), -1) + 1 FROM apps), $org) ON CONFLICT(name) DO NOTHING;",
            Parameters(app));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public Task<AppConfig?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        FindAsync("name = $key", name, cancellationToken);

    public Task<AppConfig?> FindByIdAsync(string id, CancellationToken cancellationToken) =>
        FindAsync("id = $key", id, cancellationToken);

    public async Task<IReadOnlyList<AppConfig>> ListAsync(string? afterName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM apps WHERE name > $after ORDER BY name LIMIT $limit;",
            ("$after", afterName ?? string.Empty),
            ("$limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var apps = new List<AppConfig>();
        while (await reader.ReadAsync(cancellationToken))
        {
            apps.Add(Read(reader));
        }

        return apps;
    }

    public async Task<IReadOnlyList<AppConfig>> ListInOrgAsync(string orgId, string? afterName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM apps WHERE org_id = $org AND name > $after ORDER BY name LIMIT $limit;",
            ("$org", orgId),
            ("$after", afterName ?? string.Empty),
            ("$limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var apps = new List<AppConfig>();
        while (await reader.ReadAsync(cancellationToken))
        {
            apps.Add(Read(reader));
        }

        return apps;
    }

    public async Task UpdateAsync(AppConfig app, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE apps SET runtime = $runtime, flavor = $flavor, instances = $instances, running = $running, current_deployment_id = $current WHERE id = $id;",
            Parameters(app));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM apps WHERE id = $id;", ("$id", id));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<AppConfig?> FindAsync(string where, string key, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM apps WHERE {where};", ("$key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static (string, object)[] Parameters(AppConfig app) =>
    [
        ("$id", app.Id),
        ("$name", app.Name),
        ("$runtime", app.Runtime),
        ("$flavor", app.Flavor),
        ("$instances", app.Instances),
        ("$running", app.Running ? 1 : 0),
        ("$current", Text(app.CurrentDeploymentId)),
        ("$created", Time(app.CreatedAt)),
        ("$org", app.OrgId),
    ];

    private static AppConfig Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        Runtime = reader.GetString(2),
        Flavor = reader.GetString(3),
        Instances = reader.GetInt32(4),
        Running = reader.GetInt32(5) != 0,
        CurrentDeploymentId = ReadOptionalText(reader, 6),
        CreatedAt = ReadTime(reader, 7),
        UidIndex = reader.GetInt32(8),
        OrgId = reader.GetString(9),
    };
}
