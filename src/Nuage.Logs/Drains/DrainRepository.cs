using Microsoft.Data.Sqlite;

namespace Nuage.Logs.Drains;

/// <summary>drains.db next to the app logs: drain definitions and each drain's durable cursor and counters.</summary>
internal sealed class DrainRepository
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS drains(
            id TEXT PRIMARY KEY, app TEXT NOT NULL, app_name TEXT NOT NULL, type TEXT NOT NULL, url TEXT NOT NULL,
            username TEXT, password TEXT, token TEXT, sd_params TEXT, enabled INTEGER NOT NULL, created INTEGER NOT NULL,
            cursor INTEGER NOT NULL, delivered INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0,
            missed INTEGER NOT NULL DEFAULT 0, last_error TEXT, last_error_at INTEGER, last_delivery_at INTEGER);
        """;

    private readonly string _connectionString;
    private readonly IDrainSecretProtector _secrets;

    public DrainRepository(string directory, IDrainSecretProtector secrets)
    {
        _secrets = secrets;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "drains.db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public void Insert(DrainConfig d, long cursor) => Execute(
        """
        INSERT INTO drains(id, app, app_name, type, url, username, password, token, sd_params, enabled, created, cursor)
        VALUES ($id, $app, $name, $type, $url, $user, $password, $token, $sd, $enabled, $created, $cursor)
        """,
        ("$id", d.Id), ("$app", d.AppId), ("$name", d.AppName), ("$type", d.Type), ("$url", d.Url), ("$user", d.Username),
        ("$password", Seal(d.Password, d.Id, "password")), ("$token", Seal(d.Token, d.Id, "token")), ("$sd", d.SdParams), ("$enabled", d.Enabled ? 1 : 0),
        ("$created", d.CreatedAt.UtcTicks), ("$cursor", cursor));

    public bool SetEnabled(string appId, string id, bool enabled) =>
        Execute("UPDATE drains SET enabled = $enabled WHERE id = $id AND app = $app", ("$enabled", enabled ? 1 : 0), ("$id", id), ("$app", appId)) > 0;

    public bool Delete(string appId, string id) =>
        Execute("DELETE FROM drains WHERE id = $id AND app = $app", ("$id", id), ("$app", appId)) > 0;

    public void DeleteApp(string appId) => Execute("DELETE FROM drains WHERE app = $app", ("$app", appId));

    public void SaveProgress(DrainProgress p) => Execute(
        """
        UPDATE drains SET cursor = $cursor, delivered = $delivered, skipped = $skipped, missed = $missed,
            last_error = $error, last_error_at = $error_at, last_delivery_at = $delivery_at WHERE id = $id
        """,
        ("$cursor", p.Cursor), ("$delivered", p.Delivered), ("$skipped", p.Skipped), ("$missed", p.Missed),
        ("$error", p.LastError), ("$error_at", p.LastErrorAt?.UtcTicks), ("$delivery_at", p.LastDeliveryAt?.UtcTicks), ("$id", p.Id));

    public List<(DrainConfig Drain, DrainProgress Progress)> Load(string? appId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, app, app_name, type, url, username, password, token, sd_params, enabled, created,
                   cursor, delivered, skipped, missed, last_error, last_error_at, last_delivery_at
            FROM drains WHERE $app IS NULL OR app = $app ORDER BY created, id
            """;
        command.Parameters.AddWithValue("$app", (object?)appId ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var result = new List<(DrainConfig, DrainProgress)>();
        while (reader.Read())
        {
            var drain = new DrainConfig
            {
                Id = reader.GetString(0),
                AppId = reader.GetString(1),
                AppName = reader.GetString(2),
                Type = reader.GetString(3),
                Url = reader.GetString(4),
                Username = Text(reader, 5),
                Password = Open(Text(reader, 6), reader.GetString(0), "password"),
                Token = Open(Text(reader, 7), reader.GetString(0), "token"),
                SdParams = Text(reader, 8),
                Enabled = reader.GetInt64(9) != 0,
                CreatedAt = new DateTimeOffset(reader.GetInt64(10), TimeSpan.Zero),
            };
            var progress = new DrainProgress(drain.Id, reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14),
                Text(reader, 15), Time(reader, 16), Time(reader, 17));
            result.Add((drain, progress));
        }

        return result;
    }

    private string? Seal(string? value, string drainId, string field) => value is null ? null : _secrets.Protect(value, $"drain:{drainId}:{field}");

    private string? Open(string? value, string drainId, string field) => value is null ? null : _secrets.Unprotect(value, $"drain:{drainId}:{field}");

    private static string? Text(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static DateTimeOffset? Time(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : new DateTimeOffset(reader.GetInt64(i), TimeSpan.Zero);

    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command.ExecuteNonQuery();
    }
}

/// <summary>A drain's durable position and counters (runtime state, replaced as a whole).</summary>
internal sealed record DrainProgress(
    string Id, long Cursor, long Delivered, long Skipped, long Missed, string? LastError, DateTimeOffset? LastErrorAt, DateTimeOffset? LastDeliveryAt);
