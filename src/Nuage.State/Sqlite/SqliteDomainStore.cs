using Microsoft.Data.Sqlite;
using Nuage.Core.State;

namespace Nuage.State.Sqlite;

internal sealed class SqliteDomainStore(SqliteDb db) : IDomainStore
{
    private const string Columns = "domain, app_id, certificate_pem, sealed_key, created_at";

    public async Task<bool> UpsertAsync(DomainRecord domain, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO domains (domain, app_id, certificate_pem, sealed_key, created_at) VALUES ($domain, $app, $cert, $key, $created)
            ON CONFLICT(domain) DO UPDATE SET certificate_pem = excluded.certificate_pem, sealed_key = excluded.sealed_key
            WHERE domains.app_id = excluded.app_id;
            """,
            ("$domain", domain.Domain),
            ("$app", domain.AppId),
            ("$cert", SqliteValues.Text(domain.CertificatePem)),
            ("$key", domain.SealedKey is null ? DBNull.Value : domain.SealedKey),
            ("$created", SqliteValues.Time(domain.CreatedAt)));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<DomainRecord?> FindAsync(string domain, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM domains WHERE domain = $domain;", ("$domain", domain));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<DomainRecord>> ListAsync(string? appId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = appId is null
            ? connection.Command($"SELECT {Columns} FROM domains ORDER BY domain;")
            : connection.Command($"SELECT {Columns} FROM domains WHERE app_id = $app ORDER BY domain;", ("$app", appId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<DomainRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public async Task<bool> DeleteAsync(string appId, string domain, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "DELETE FROM domains WHERE app_id = $app AND domain = $domain;", ("$app", appId), ("$domain", domain));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static DomainRecord Read(SqliteDataReader reader) => new()
    {
        Domain = reader.GetString(0),
        AppId = reader.GetString(1),
        CertificatePem = SqliteValues.ReadOptionalText(reader, 2),
        SealedKey = reader.IsDBNull(3) ? null : (byte[])reader.GetValue(3),
        CreatedAt = SqliteValues.ReadTime(reader, 4),
    };
}
