using Microsoft.Data.Sqlite;
using Nuage.Core.Auth;
using Nuage.Core.State;
using static Nuage.State.Sqlite.SqliteValues;

namespace Nuage.State.Sqlite;

internal sealed class SqliteTokenStore(SqliteDb db) : ITokenStore
{
    private const string Columns = "id, secret_hash, role, description, created_at, expires_at, revoked_at, org_id, user_id, operator, last_used_at";

    public async Task CreateAsync(StoredToken token, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO tokens ({Columns}) VALUES ($id, $hash, $role, $description, $created, $expires, NULL, $org, $user, $operator, NULL);",
            ("$id", token.Id),
            ("$hash", token.SecretHash),
            ("$role", token.Role.ToString()),
            ("$description", token.Description),
            ("$created", Time(token.CreatedAt)),
            ("$expires", Time(token.ExpiresAt)),
            ("$org", Text(token.OrgId)),
            ("$user", Text(token.UserId)),
            ("$operator", token.IsOperator ? 1 : 0));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredToken?> FindByHashAsync(string secretHash, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM tokens WHERE secret_hash = $hash;", ("$hash", secretHash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<StoredToken>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM tokens ORDER BY created_at, id;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<StoredToken>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(Read(reader));
        }

        return tokens;
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE tokens SET revoked_at = COALESCE(revoked_at, $at) WHERE id = $id;", ("$id", id), ("$at", Time(at)));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> SetExpiryAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE tokens SET expires_at = $expires WHERE id = $id AND revoked_at IS NULL;", ("$id", id), ("$expires", Time(expiresAt)));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<StoredToken?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM tokens WHERE id = $id;", ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE tokens SET last_used_at = $at WHERE id = $id AND (last_used_at IS NULL OR last_used_at < $stale);",
            ("$id", id), ("$at", Time(at)), ("$stale", Time(at.AddMinutes(-1))));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static StoredToken Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        Enum.Parse<Role>(reader.GetString(2)),
        reader.GetString(3),
        ReadTime(reader, 4),
        ReadOptionalTime(reader, 5),
        ReadOptionalTime(reader, 6))
    {
        OrgId = ReadOptionalText(reader, 7),
        UserId = ReadOptionalText(reader, 8),
        IsOperator = reader.GetInt32(9) != 0,
        LastUsedAt = ReadOptionalTime(reader, 10),
    };
}
