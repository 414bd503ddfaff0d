using Microsoft.Data.Sqlite;
using Nuage.Core.State;

namespace Nuage.State.Sqlite;

internal sealed class SqliteAcmeStore(SqliteDb db) : IAcmeStore
{
    private const string DomainColumns = "domain, status, not_after, next_attempt_at, failures, last_error, updated_at";

    public async Task<AcmeAccountRecord?> FindAccountAsync(string directory, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT directory, email, account_url, sealed_key, created_at FROM acme_accounts WHERE directory = $dir;", ("$dir", directory));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AcmeAccountRecord
            {
                Directory = reader.GetString(0),
                Email = reader.GetString(1),
                AccountUrl = reader.GetString(2),
                SealedKey = (byte[])reader.GetValue(3),
                CreatedAt = SqliteValues.ReadTime(reader, 4),
            }
            : null;
    }

    public async Task SaveAccountAsync(AcmeAccountRecord account, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO acme_accounts (directory, email, account_url, sealed_key, created_at) VALUES ($dir, $email, $url, $key, $created)
            ON CONFLICT(directory) DO UPDATE SET email = excluded.email, account_url = excluded.account_url, sealed_key = excluded.sealed_key;
            """,
            ("$dir", account.Directory),
            ("$email", account.Email),
            ("$url", account.AccountUrl),
            ("$key", account.SealedKey),
            ("$created", SqliteValues.Time(account.CreatedAt)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<AcmeDomainRecord?> FindDomainAsync(string domain, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {DomainColumns} FROM acme_domains WHERE domain = $domain;", ("$domain", domain));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<AcmeDomainRecord>> ListDomainsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {DomainColumns} FROM acme_domains ORDER BY domain;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<AcmeDomainRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public async Task SaveDomainAsync(AcmeDomainRecord domain, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            INSERT OR REPLACE INTO acme_domains ({DomainColumns}) VALUES ($domain, $status, $notAfter, $next, $failures, $error, $updated);
            """,
            ("$domain", domain.Domain),
            ("$status", domain.Status),
            ("$notAfter", SqliteValues.Time(domain.NotAfter)),
            ("$next", SqliteValues.Time(domain.NextAttemptAt)),
            ("$failures", domain.Failures),
            ("$error", SqliteValues.Text(domain.LastError)),
            ("$updated", SqliteValues.Time(domain.UpdatedAt)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteDomainAsync(string domain, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM acme_domains WHERE domain = $domain;", ("$domain", domain));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static AcmeDomainRecord Read(SqliteDataReader reader) => new()
    {
        Domain = reader.GetString(0),
        Status = reader.GetString(1),
        NotAfter = SqliteValues.ReadOptionalTime(reader, 2),
        NextAttemptAt = SqliteValues.ReadTime(reader, 3),
        Failures = reader.GetInt32(4),
        LastError = SqliteValues.ReadOptionalText(reader, 5),
        UpdatedAt = SqliteValues.ReadTime(reader, 6),
    };
}
