using Microsoft.Data.Sqlite;
using Nuage.Core.State;

namespace Nuage.State.Sqlite;

internal sealed class SqliteEnvStore(SqliteDb db) : IEnvStore
{
    public async Task<IReadOnlyDictionary<string, byte[]>> GetAllAsync(string appId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT name, sealed_value FROM env WHERE app_id = $app ORDER BY name;", ("$app", appId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            values[reader.GetString(0)] = (byte[])reader.GetValue(1);
        }

        return values;
    }

    public async Task ApplyAsync(
        string appId, IReadOnlyDictionary<string, byte[]> set, IReadOnlyCollection<string> remove, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await WriteAsync(connection, transaction, appId, set, remove, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task ReplaceAsync(string appId, IReadOnlyDictionary<string, byte[]> all, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = connection.Command("DELETE FROM env WHERE app_id = $app;", ("$app", appId)))
        {
            clear.Transaction = transaction;
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        await WriteAsync(connection, transaction, appId, all, [], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task WriteAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string appId,
        IReadOnlyDictionary<string, byte[]> set,
        IReadOnlyCollection<string> remove,
        CancellationToken cancellationToken)
    {
        foreach (var (name, value) in set)
        {
            await using var upsert = connection.Command(
                "INSERT INTO env (app_id, name, sealed_value) VALUES ($app, $name, $value) ON CONFLICT(app_id, name) DO UPDATE SET sealed_value = excluded.sealed_value;",
                ("$app", appId), ("$name", name), ("$value", value));
            upsert.Transaction = transaction;
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var name in remove)
        {
            await using var delete = connection.Command(
                "DELETE FROM env WHERE app_id = $app AND name = $name;", ("$app", appId), ("$name", name));
            delete.Transaction = transaction;
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
