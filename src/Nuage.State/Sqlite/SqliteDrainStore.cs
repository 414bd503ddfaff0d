using Microsoft.Data.Sqlite;
using Nuage.Core.State;

namespace Nuage.State.Sqlite;

internal sealed class SqliteDrainStore(SqliteDb db) : IDrainStore
{
    private const string Columns = "id, app_id, app_name, type, url, username, sealed_password, sealed_token, sd_params, enabled, created_at";

    public async Task<bool> InsertAsync(DrainRecord drain, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO drains ({Columns}) VALUES ($id, $app, $name, $type, $url, $user, $password, $token, $sd, $enabled, $created) ON CONFLICT(id) DO NOTHING;",
            ("$id", drain.Id),
            ("$app", drain.AppId),
            ("$name", drain.AppName),
            ("$type", drain.Type),
            ("$url", drain.Url),
            ("$user", SqliteValues.Text(drain.Username)),
            ("$password", SqliteValues.Text(drain.SealedPassword)),
            ("$token", SqliteValues.Text(drain.SealedToken)),
            ("$sd", SqliteValues.Text(drain.SdParams)),
            ("$enabled", drain.Enabled ? 1 : 0),
            ("$created", SqliteValues.Time(drain.CreatedAt)));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<DrainRecord>> ListAsync(string? appId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = appId is null
            ? connection.Command($"SELECT {Columns} FROM drains ORDER BY created_at, id;")
            : connection.Command($"SELECT {Columns} FROM drains WHERE app_id = $app ORDER BY created_at, id;", ("$app", appId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<DrainRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public async Task<bool> SetEnabledAsync(string appId, string drainId, bool enabled, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE drains SET enabled = $enabled WHERE app_id = $app AND id = $id;", ("$enabled", enabled ? 1 : 0), ("$app", appId), ("$id", drainId));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteAsync(string appId, string drainId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM drains WHERE app_id = $app AND id = $id;", ("$app", appId), ("$id", drainId));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static DrainRecord Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        AppId = reader.GetString(1),
        AppName = reader.GetString(2),
        Type = reader.GetString(3),
        Url = reader.GetString(4),
        Username = SqliteValues.ReadOptionalText(reader, 5),
        SealedPassword = SqliteValues.ReadOptionalText(reader, 6),
        SealedToken = SqliteValues.ReadOptionalText(reader, 7),
        SdParams = SqliteValues.ReadOptionalText(reader, 8),
        Enabled = reader.GetInt64(9) != 0,
        CreatedAt = SqliteValues.ReadTime(reader, 10),
    };
}
