using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Nuage.Core.Auth;
using Nuage.Core.Orgs;
using Nuage.Core.State;
using static Nuage.State.Sqlite.SqliteValues;

namespace Nuage.State.Sqlite;

internal sealed class SqliteOrgStore(SqliteDb db) : IOrgStore
{
    public async Task<bool> TryCreateAsync(OrgRecord org, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO orgs (id, name, created_at) VALUES ($id, $name, $created) ON CONFLICT(name) DO NOTHING;",
            ("$id", org.Id), ("$name", org.Name), ("$created", Time(org.CreatedAt)));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public Task<OrgRecord?> FindByNameAsync(string name, CancellationToken cancellationToken) => FindAsync("name", name, cancellationToken);

    public Task<OrgRecord?> FindByIdAsync(string id, CancellationToken cancellationToken) => FindAsync("id", id, cancellationToken);

    public async Task<IReadOnlyList<OrgRecord>> ListAsync(string? userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = userId is null
            ? connection.Command("SELECT id, name, created_at FROM orgs ORDER BY name;")
            : connection.Command(
                "SELECT o.id, o.name, o.created_at FROM orgs o JOIN org_members m ON m.org_id = o.id WHERE m.user_id = $user ORDER BY o.name;",
                ("$user", userId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var orgs = new List<OrgRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            orgs.Add(new OrgRecord(reader.GetString(0), reader.GetString(1), ReadTime(reader, 2)));
        }

        return orgs;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using (var tokens = connection.Command("DELETE FROM tokens WHERE org_id = $id;", ("$id", id)))
        {
            tokens.Transaction = transaction;
            await tokens.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = connection.Command("DELETE FROM orgs WHERE id = $id;", ("$id", id));
        command.Transaction = transaction;
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task<UserRecord> EnsureUserAsync(string email, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var connection = await db.OpenAsync(cancellationToken))
        await using (var command = connection.Command(
            "INSERT INTO users (id, email, created_at) VALUES ($id, $email, $created) ON CONFLICT(email) DO NOTHING;",
            ("$id", "usr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))), ("$email", email), ("$created", Time(now))))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return (await FindUserByEmailAsync(email, cancellationToken))!;
    }

    public Task<UserRecord?> FindUserByIdAsync(string id, CancellationToken cancellationToken) => FindUserAsync("id", id, cancellationToken);

    public Task<UserRecord?> FindUserByEmailAsync(string email, CancellationToken cancellationToken) => FindUserAsync("email", email, cancellationToken);

    public async Task<IReadOnlyList<MemberRecord>> ListMembersAsync(string orgId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"{MemberSelect} WHERE m.org_id = $org ORDER BY u.email;", ("$org", orgId));
        return await ReadMembersAsync(command, cancellationToken);
    }

    public async Task<MemberRecord?> FindMemberAsync(string orgId, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"{MemberSelect} WHERE m.org_id = $org AND m.user_id = $user;", ("$org", orgId), ("$user", userId));
        return (await ReadMembersAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task SetMemberAsync(string orgId, string userId, Role role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO org_members (org_id, user_id, role, added_at) VALUES ($org, $user, $role, $now) ON CONFLICT(org_id, user_id) DO UPDATE SET role = excluded.role;",
            ("$org", orgId), ("$user", userId), ("$role", role.ToString()), ("$now", Time(now)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RemoveMemberAsync(string orgId, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using (var revoke = connection.Command(
            "UPDATE tokens SET revoked_at = COALESCE(revoked_at, $now) WHERE org_id = $org AND user_id = $user;",
            ("$org", orgId), ("$user", userId), ("$now", Time(now))))
        {
            revoke.Transaction = transaction;
            await revoke.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = connection.Command(
            "DELETE FROM org_members WHERE org_id = $org AND user_id = $user;", ("$org", orgId), ("$user", userId));
        command.Transaction = transaction;
        var removed = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    private const string MemberSelect =
        "SELECT m.org_id, m.user_id, u.email, m.role, m.added_at FROM org_members m JOIN users u ON u.id = m.user_id";

    private static async Task<IReadOnlyList<MemberRecord>> ReadMembersAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var members = new List<MemberRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new MemberRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), Enum.Parse<Role>(reader.GetString(3)), ReadTime(reader, 4)));
        }

        return members;
    }

    private async Task<OrgRecord?> FindAsync(string column, string key, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT id, name, created_at FROM orgs WHERE {column} = $key;", ("$key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new OrgRecord(reader.GetString(0), reader.GetString(1), ReadTime(reader, 2)) : null;
    }

    private async Task<UserRecord?> FindUserAsync(string column, string key, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT id, email, created_at FROM users WHERE {column} = $key;", ("$key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new UserRecord(reader.GetString(0), reader.GetString(1), ReadTime(reader, 2)) : null;
    }
}
