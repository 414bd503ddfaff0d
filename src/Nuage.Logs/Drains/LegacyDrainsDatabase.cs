using Microsoft.Data.Sqlite;
using Nuage.Core.State;

namespace Nuage.Logs.Drains;

/// <summary>
/// Installs from before drains moved to the state store kept definitions and cursors in logs/drains.db. At start,
/// its drains go to the state store and their cursors to drain-cursors.db (both skip what they already have, so an
/// interrupted import simply runs again), then the file is renamed drains.db.migrated and never read again.
/// </summary>
internal static class LegacyDrainsDatabase
{
    public const string FileName = "drains.db";
    public const string MigratedSuffix = ".migrated";

    public static async Task<int> ImportAsync(string directory, IDrainStore definitions, DrainCursors cursors, CancellationToken ct)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return 0;
        }

        var rows = Read(path);
        foreach (var (drain, progress) in rows)
        {
            await definitions.InsertAsync(drain, ct);
            cursors.Add(progress);
        }

        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, path + MigratedSuffix + suffix, overwrite: true);
            }
        }

        return rows.Count;
    }

    private static List<(DrainRecord, DrainProgress)> Read(string path)
    {
        var result = new List<(DrainRecord, DrainProgress)>();
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT id, app, app_name, type, url, username, password, token, sd_params, enabled, created,
                       cursor, delivered, skipped, missed, last_error, last_error_at, last_delivery_at
                FROM drains ORDER BY created, id
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                // Sealed values keep their context (drain:ID:field), so they open unchanged from the new store.
                var drain = new DrainRecord
                {
                    Id = reader.GetString(0),
                    AppId = reader.GetString(1),
                    AppName = reader.GetString(2),
                    Type = reader.GetString(3),
                    Url = reader.GetString(4),
                    Username = Text(reader, 5),
                    SealedPassword = Text(reader, 6),
                    SealedToken = Text(reader, 7),
                    SdParams = Text(reader, 8),
                    Enabled = reader.GetInt64(9) != 0,
                    CreatedAt = new DateTimeOffset(reader.GetInt64(10), TimeSpan.Zero),
                };
                var progress = new DrainProgress(drain.Id, reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14),
                    Text(reader, 15), Time(reader, 16), Time(reader, 17));
                result.Add((drain, progress));
            }
        }

        return result;
    }

    private static string? Text(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static DateTimeOffset? Time(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : new DateTimeOffset(reader.GetInt64(i), TimeSpan.Zero);
}
