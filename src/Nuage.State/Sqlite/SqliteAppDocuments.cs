namespace Nuage.State.Sqlite;

/// <summary>
/// One JSON document per app in a table <c>(app_id PRIMARY KEY, config, updated_at)</c>: the storage shared by the
/// per-app settings stores (flow, autoscale). <paramref name="table"/> is a constant of the store, never user input.
/// </summary>
internal class SqliteAppDocuments(SqliteDb db, string table)
{
    public async Task<string?> FindAsync(string appId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT config FROM {table} WHERE app_id = $app;", ("$app", appId));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<IReadOnlyDictionary<string, string>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT app_id, config FROM {table};");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            all[reader.GetString(0)] = reader.GetString(1);
        }

        return all;
    }

    public async Task SaveAsync(string appId, string json, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT OR REPLACE INTO {table} (app_id, config, updated_at) VALUES ($app, $config, $at);",
            ("$app", appId), ("$config", json), ("$at", SqliteValues.Time(at)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string appId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"DELETE FROM {table} WHERE app_id = $app;", ("$app", appId));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
