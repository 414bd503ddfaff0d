namespace Nuage.State.Sqlite;

/// <summary>
/// Numbered schema migrations. Append only: a released migration is never edited, so every database,
/// whatever version it was created at, reaches the same schema. The version lives in PRAGMA user_version.
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<string> All { get; } =
    [
        // 1: apps, their variables (sealed values) and API tokens.
        """
        CREATE TABLE apps (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            runtime TEXT NOT NULL,
            flavor TEXT NOT NULL,
            instances INTEGER NOT NULL,
            running INTEGER NOT NULL DEFAULT 1,
            current_deployment_id TEXT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE env (
            app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            sealed_value BLOB NOT NULL,
            PRIMARY KEY (app_id, name)
        );
        CREATE TABLE tokens (
            id TEXT PRIMARY KEY,
            secret_hash TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            description TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NULL,
            revoked_at TEXT NULL
        );
        """,
    ];

    public static int Latest => All.Count;
}
