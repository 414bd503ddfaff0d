using Nuage.Core.State;

namespace Nuage.State.Sqlite;

internal sealed class SqliteInstanceStore(SqliteDb db) : IInstanceStore
{
    public async Task SaveAsync(InstanceRecord instance, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO instances (instance_id, app_id, deployment_id, spec, state) VALUES ($id, $app, $deployment, $spec, $state)
            ON CONFLICT(instance_id) DO UPDATE SET spec = excluded.spec, state = excluded.state;
            """,
            ("$id", instance.InstanceId), ("$app", instance.AppId), ("$deployment", instance.DeploymentId), ("$spec", instance.Spec), ("$state", instance.State));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM instances WHERE instance_id = $id;", ("$id", instanceId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<InstanceRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT instance_id, app_id, deployment_id, spec, state FROM instances ORDER BY instance_id;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<InstanceRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new InstanceRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return list;
    }
}
