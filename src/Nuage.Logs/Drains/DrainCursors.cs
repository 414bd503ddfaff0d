using Microsoft.Data.Sqlite;

namespace Nuage.Logs.Drains;

/// <summary>
/// drain-cursors.db next to the app logs: each drain's durable cursor and counters. They live with the log store
/// because a cursor is a position in it (a new store starts every drain from its beginning); definitions live in the
/// state store (<see cref="Nuage.Core.State.IDrainStore"/>).
/// </summary>
internal sealed class DrainCursors
{
    public const string FileName = "drain-cursors.db";

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS cursors(
            id TEXT PRIMARY KEY, cursor INTEGER NOT NULL, delivered INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0,
            missed INTEGER NOT NULL DEFAULT 0, last_error TEXT, last_error_at INTEGER, last_delivery_at INTEGER);
        """;

    private const string Columns = "id, cursor, delivered, skipped, missed, last_error, last_error_at, last_delivery_at";

    private readonly string _connectionString;

    public DrainCursors(string directory)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, FileName),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Execute(Schema);
    }

    /// <summary>Adds a drain's progress unless it already has one (imports may run twice).</summary>
    public void Add(DrainProgress p) => Execute(
        $"INSERT INTO cursors({Columns}) VALUES ($id, $cursor, $delivered, $skipped, $missed, $error, $error_at, $delivery_at) ON CONFLICT(id) DO NOTHING",
        Parameters(p));

    public void Save(DrainProgress p) => Execute(
        """
        UPDATE cursors SET cursor = $cursor, delivered = $delivered, skipped = $skipped, missed = $missed,
            last_error = $error, last_error_at = $error_at, last_delivery_at = $delivery_at WHERE id = $id
        """,
        Parameters(p));

    public void Delete(string id) => Execute("DELETE FROM cursors WHERE id = $id", ("$id", id));

    public Dictionary<string, DrainProgress> Load()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM cursors";
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, DrainProgress>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var progress = new DrainProgress(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), Time(reader, 6), Time(reader, 7));
            result[progress.Id] = progress;
        }

        return result;
    }

    private static (string, object?)[] Parameters(DrainProgress p) =>
    [
        ("$id", p.Id), ("$cursor", p.Cursor), ("$delivered", p.Delivered), ("$skipped", p.Skipped), ("$missed", p.Missed),
        ("$error", p.LastError), ("$error_at", p.LastErrorAt?.UtcTicks), ("$delivery_at", p.LastDeliveryAt?.UtcTicks),
    ];

    private static DateTimeOffset? Time(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : new DateTimeOffset(reader.GetInt64(i), TimeSpan.Zero);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }
}

/// <summary>A drain's durable position and counters (runtime state, replaced as a whole).</summary>
internal sealed record DrainProgress(
    string Id, long Cursor, long Delivered, long Skipped, long Missed, string? LastError, DateTimeOffset? LastErrorAt, DateTimeOffset? LastDeliveryAt);
