using Microsoft.Data.Sqlite;
using Nuage.Core.State;
using static Nuage.State.Sqlite.SqliteValues;

namespace Nuage.State.Sqlite;

internal sealed class SqliteAddonStore(SqliteDb db) : IAddonStore
{
    private const string Columns = "id, name, type, version, plan, uid_index, username, database_name, sealed_password, sealed_spec, state, last_error, created_at, org_id, backup_schedule, backup_retention, external_host, external_port";

    public async Task<bool> TryCreateAsync(AddonRecord addon, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            INSERT INTO addons ({Columns}) VALUES ($id, $name, $type, $version, $plan, (SELECT COALESCE(MAX(uid_index), -1) + 1 FROM addons),
                $username, $database, $password, $spec, $state, $error, $created, $org, $schedule, $retention, $externalHost, $externalPort) ON CONFLICT(name) DO NOTHING;
            """,
            [.. Parameters(addon), ("$name", addon.Name), ("$type", addon.Type), ("$version", addon.Version), ("$plan", addon.Plan),
                ("$username", addon.Username), ("$database", addon.Database), ("$created", Time(addon.CreatedAt)), ("$org", addon.OrgId),
                ("$schedule", addon.BackupSchedule), ("$retention", addon.BackupRetention),
                ("$externalHost", Text(addon.ExternalHost)), ("$externalPort", addon.ExternalPort is { } port ? port : DBNull.Value)]);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<AddonRecord?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM addons WHERE name = $name;", ("$name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<AddonRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM addons ORDER BY name;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<AddonRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public async Task UpdateAsync(AddonRecord addon, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE addons SET username = $username, sealed_password = $password, sealed_spec = $spec, state = $state, last_error = $error WHERE id = $id;",
            [.. Parameters(addon), ("$username", addon.Username)]);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveStateAsync(string id, string? state, string? lastError, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE addons SET state = $state, last_error = $error WHERE id = $id;", ("$id", id), ("$state", Text(state)), ("$error", Text(lastError)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM addons WHERE id = $id;", ("$id", id));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> LinkAsync(string addonId, string appId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO addon_links (addon_id, app_id, created_at) VALUES ($addon, $app, $at) ON CONFLICT DO NOTHING;",
            ("$addon", addonId), ("$app", appId), ("$at", Time(at)));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> UnlinkAsync(string addonId, string appId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "DELETE FROM addon_links WHERE addon_id = $addon AND app_id = $app;", ("$addon", addonId), ("$app", appId));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<AddonLinkRecord>> ListLinksAsync(string? addonId, string? appId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT addon_id, app_id, created_at FROM addon_links WHERE ($addon IS NULL OR addon_id = $addon) AND ($app IS NULL OR app_id = $app) ORDER BY created_at, addon_id, app_id;",
            ("$addon", Text(addonId)), ("$app", Text(appId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<AddonLinkRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new AddonLinkRecord(reader.GetString(0), reader.GetString(1), ReadTime(reader, 2)));
        }

        return list;
    }

    public async Task SaveBackupAsync(AddonBackupRecord backup, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO addon_backups (id, addon_id, file, size_bytes, sha256, created_at, scheduled) VALUES ($id, $addon, $file, $size, $sha, $at, $scheduled);",
            ("$id", backup.Id), ("$addon", backup.AddonId), ("$file", backup.File), ("$size", backup.SizeBytes), ("$sha", backup.Sha256), ("$at", Time(backup.CreatedAt)),
            ("$scheduled", backup.Scheduled ? 1 : 0));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AddonBackupRecord>> ListBackupsAsync(string addonId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT id, addon_id, file, size_bytes, sha256, created_at, scheduled FROM addon_backups WHERE addon_id = $addon ORDER BY created_at DESC, id DESC;",
            ("$addon", addonId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<AddonBackupRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new AddonBackupRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), ReadTime(reader, 5))
            {
                Scheduled = reader.GetInt64(6) != 0,
            });
        }

        return list;
    }

    public async Task<bool> DeleteBackupAsync(string addonId, string backupId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "DELETE FROM addon_backups WHERE addon_id = $addon AND id = $id;", ("$addon", addonId), ("$id", backupId));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task SaveBackupPolicyAsync(string addonId, string schedule, int retention, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE addons SET backup_schedule = $schedule, backup_retention = $retention WHERE id = $id; DELETE FROM addon_backup_runs WHERE addon_id = $id;",
            ("$id", addonId), ("$schedule", schedule), ("$retention", retention));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<AddonBackupRunRecord?> FindBackupRunAsync(string addonId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT addon_id, next_at, last_success_at, last_failure_at, last_error, failures FROM addon_backup_runs WHERE addon_id = $id;", ("$id", addonId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AddonBackupRunRecord(reader.GetString(0), ReadTime(reader, 1))
            {
                LastSuccessAt = reader.IsDBNull(2) ? null : ReadTime(reader, 2),
                LastFailureAt = reader.IsDBNull(3) ? null : ReadTime(reader, 3),
                LastError = ReadOptionalText(reader, 4),
                Failures = reader.GetInt32(5),
            }
            : null;
    }

    public async Task SaveBackupRunAsync(AddonBackupRunRecord run, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO addon_backup_runs (addon_id, next_at, last_success_at, last_failure_at, last_error, failures)
            SELECT $id, $next, $success, $failure, $error, $failures WHERE EXISTS (SELECT 1 FROM addons WHERE id = $id)
            ON CONFLICT(addon_id) DO UPDATE SET next_at = excluded.next_at, last_success_at = excluded.last_success_at,
                last_failure_at = excluded.last_failure_at, last_error = excluded.last_error, failures = excluded.failures;
            """,
            ("$id", run.AddonId), ("$next", Time(run.NextAt)), ("$success", run.LastSuccessAt is { } s ? Time(s) : DBNull.Value),
            ("$failure", run.LastFailureAt is { } f ? Time(f) : DBNull.Value), ("$error", Text(run.LastError)), ("$failures", run.Failures));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static (string, object)[] Parameters(AddonRecord addon) =>
    [
        ("$id", addon.Id),
        ("$password", addon.SealedPassword),
        ("$spec", addon.SealedSpec is null ? DBNull.Value : addon.SealedSpec),
        ("$state", Text(addon.State)),
        ("$error", Text(addon.LastError)),
    ];

    private static AddonRecord Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        Type = reader.GetString(2),
        Version = reader.GetString(3),
        Plan = reader.GetString(4),
        UidIndex = reader.GetInt32(5),
        Username = reader.GetString(6),
        Database = reader.GetString(7),
        SealedPassword = (byte[])reader.GetValue(8),
        SealedSpec = reader.IsDBNull(9) ? null : (byte[])reader.GetValue(9),
        State = ReadOptionalText(reader, 10),
        LastError = ReadOptionalText(reader, 11),
        CreatedAt = ReadTime(reader, 12),
        OrgId = reader.GetString(13),
        BackupSchedule = reader.GetString(14),
        BackupRetention = reader.GetInt32(15),
        ExternalHost = ReadOptionalText(reader, 16),
        ExternalPort = reader.IsDBNull(17) ? null : reader.GetInt32(17),
    };
}
