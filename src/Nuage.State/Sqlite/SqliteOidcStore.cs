using System.Text.Json;
using Microsoft.Data.Sqlite;
using Nuage.Core.Auth;
using Nuage.Core.State;
using static Nuage.State.Sqlite.SqliteValues;

namespace Nuage.State.Sqlite;

internal sealed class SqliteOidcStore(SqliteDb db) : IOidcStore
{
    private const string SessionColumns = "s.token_id, s.issuer, s.user_id, s.sealed_refresh_token, s.refreshed_at";

    public async Task SaveSessionAsync(OidcSessionRecord session, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO oidc_sessions (token_id, issuer, user_id, sealed_refresh_token, refreshed_at) VALUES ($token, $issuer, $user, $refresh, $at) " +
            "ON CONFLICT(token_id) DO UPDATE SET sealed_refresh_token = excluded.sealed_refresh_token, refreshed_at = excluded.refreshed_at;",
            ("$token", session.TokenId), ("$issuer", session.Issuer), ("$user", session.UserId),
            ("$refresh", session.SealedRefreshToken is { } sealedToken ? sealedToken : DBNull.Value), ("$at", Time(session.RefreshedAt)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<OidcSessionRecord?> FindSessionAsync(string tokenId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {SessionColumns} FROM oidc_sessions s WHERE s.token_id = $token;", ("$token", tokenId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSession(reader) : null;
    }

    public async Task<IReadOnlyList<OidcSessionRecord>> ListDueSessionsAsync(DateTimeOffset now, DateTimeOffset refreshedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {SessionColumns}, t.revoked_at, t.expires_at FROM oidc_sessions s JOIN tokens t ON t.id = s.token_id WHERE t.revoked_at IS NULL;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<OidcSessionRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var session = ReadSession(reader);
            if (session.RefreshedAt < refreshedBefore && (ReadOptionalTime(reader, 6) is not { } expires || expires > now))
            {
                due.Add(session);
            }
        }

        return due;
    }

    public async Task<IReadOnlyList<string>> ListLiveSessionsAsync(string issuer, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT s.token_id FROM oidc_sessions s JOIN tokens t ON t.id = s.token_id WHERE s.issuer = $issuer AND t.revoked_at IS NULL ORDER BY s.token_id;", ("$issuer", issuer));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<IReadOnlyList<OidcGrantRecord>> ListGrantsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT org_id, user_id, role, previous_role FROM oidc_grants WHERE user_id = $user;", ("$user", userId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var grants = new List<OidcGrantRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            grants.Add(new OidcGrantRecord(reader.GetString(0), reader.GetString(1), Enum.Parse<Role>(reader.GetString(2)),
                ReadOptionalText(reader, 3) is { } previous ? Enum.Parse<Role>(previous) : null));
        }

        return grants;
    }

    public async Task SetGrantAsync(OidcGrantRecord grant, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO oidc_grants (org_id, user_id, role, previous_role) VALUES ($org, $user, $role, $previous) " +
            "ON CONFLICT(org_id, user_id) DO UPDATE SET role = excluded.role, previous_role = excluded.previous_role;",
            ("$org", grant.OrgId), ("$user", grant.UserId), ("$role", grant.Role.ToString()), ("$previous", Text(grant.PreviousRole?.ToString())));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteGrantAsync(string orgId, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM oidc_grants WHERE org_id = $org AND user_id = $user;", ("$org", orgId), ("$user", userId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<OidcProviderRecord>> ListProvidersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT issuer, client_id, sealed_client_secret, name, group_roles, created_at, scopes FROM oidc_providers ORDER BY created_at, issuer;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var providers = new List<OidcProviderRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            providers.Add(new OidcProviderRecord(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2),
                ReadOptionalText(reader, 3), JsonSerializer.Deserialize(reader.GetString(4), SqliteOidcJson.Default.StringArray) ?? [], ReadTime(reader, 5))
            {
                Scopes = ReadOptionalText(reader, 6),
            });
        }

        return providers;
    }

    public async Task SaveProviderAsync(OidcProviderRecord provider, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO oidc_providers (issuer, client_id, sealed_client_secret, name, group_roles, created_at, scopes) VALUES ($issuer, $client, $secret, $name, $groups, $created, $scopes) " +
            "ON CONFLICT(issuer) DO UPDATE SET client_id = excluded.client_id, sealed_client_secret = excluded.sealed_client_secret, name = excluded.name, group_roles = excluded.group_roles, scopes = excluded.scopes;",
            ("$issuer", provider.Issuer), ("$client", provider.ClientId), ("$secret", provider.SealedClientSecret is { } secret ? secret : DBNull.Value),
            ("$name", Text(provider.Name)), ("$groups", JsonSerializer.Serialize([.. provider.GroupRoles], SqliteOidcJson.Default.StringArray)), ("$created", Time(provider.CreatedAt)), ("$scopes", Text(provider.Scopes)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteProviderAsync(string issuer, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM oidc_providers WHERE issuer = $issuer;", ("$issuer", issuer));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static OidcSessionRecord ReadSession(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : (byte[])reader.GetValue(3), ReadTime(reader, 4));
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]), TypeInfoPropertyName = "StringArray")]
internal sealed partial class SqliteOidcJson : System.Text.Json.Serialization.JsonSerializerContext;
