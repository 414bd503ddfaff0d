using Microsoft.Data.Sqlite;
using Nuage.Core.State;
using Nuage.Core.Usage;

namespace Nuage.State.Sqlite;

internal sealed class SqliteBudgetStore(SqliteDb db) : IBudgetStore
{
    private const string Columns = "org_id, monthly, hard_stop, warned_month, warned_level, updated_at";

    public async Task<OrgBudget?> FindAsync(string orgId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM org_budgets WHERE org_id = $org;", ("$org", orgId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<OrgBudget>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM org_budgets ORDER BY org_id;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<OrgBudget>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public async Task SetAsync(OrgBudget budget, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO org_budgets (org_id, monthly, hard_stop, warned_level, updated_at) VALUES ($org, $monthly, $hard, 0, $at)
            ON CONFLICT(org_id) DO UPDATE SET monthly = excluded.monthly, hard_stop = excluded.hard_stop, updated_at = excluded.updated_at;
            """,
            ("$org", budget.OrgId),
            ("$monthly", budget.Monthly.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("$hard", budget.HardStop ? 1 : 0),
            ("$at", SqliteValues.Time(budget.UpdatedAt)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string orgId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM org_budgets WHERE org_id = $org;", ("$org", orgId));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task MarkWarnedAsync(string orgId, string month, int level, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE org_budgets SET warned_month = $month, warned_level = $level WHERE org_id = $org;",
            ("$org", orgId), ("$month", month), ("$level", level));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // The amount is stored as text so decimal budgets round-trip exactly.
    private static OrgBudget Read(SqliteDataReader reader) => new()
    {
        OrgId = reader.GetString(0),
        Monthly = decimal.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture),
        HardStop = reader.GetInt64(2) != 0,
        WarnedMonth = SqliteValues.ReadOptionalText(reader, 3),
        WarnedLevel = reader.GetInt32(4),
        UpdatedAt = SqliteValues.ReadTime(reader, 5),
    };
}
