using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Nuage.Core.Addons;
using Nuage.Core.Api;

namespace Nuage.Server.Addons;

/// <summary>
/// Import from a live PostgreSQL: pg_dump (plain SQL, no owners or grants, DROP … IF EXISTS first) into a root-only
/// scratch file, then one psql transaction that loads it and checks every table's row count against the source. A
/// failed load or a wrong count aborts the transaction, so the add-on keeps exactly what it had.
/// </summary>
internal sealed partial class PostgresEngine
{
    private const string CountQuery = """
        SELECT format('%I.%I', n.nspname, c.relname),
               (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
        ORDER BY 1
        """;

    public override async Task<IReadOnlyList<ImportCount>> CountSourceAsync(AddonSourceUrl source, CancellationToken cancellationToken)
    {
        var result = await AddonTool.RunCapturedAsync(Bin + "/psql", [.. Connect(source.Host, source.Port, source.User, source.Database), "-X", "-At", "-F", "\t", "-c", CountQuery],
            ClientEnvironment(source.Password), null, null, cancellationToken);
        return result.ExitCode == 0 ? ParseCounts(result.Output) : throw AddonImportErrors.Classify(source, result);
    }

    public override async Task<IReadOnlyList<AddonImportTableDto>> ImportAsync(AddonImportJob job, IReadOnlyList<ImportCount> expected, CancellationToken cancellationToken)
    {
        var source = job.Source;
        var dump = Path.Combine(job.ScratchDirectory, "source.sql");
        job.Progress($"dumping {expected.Count} table(s) from {source.Redacted}");
        var dumped = await AddonTool.RunCapturedAsync(Bin + "/pg_dump",
            [.. Connect(source.Host, source.Port, source.User, source.Database), "--no-owner", "--no-acl", "--clean", "--if-exists", "--no-publications", "--no-subscriptions", "-f", dump],
            ClientEnvironment(source.Password), null, null, cancellationToken);
        if (dumped.ExitCode != 0)
        {
            throw AddonImportErrors.Classify(source, dumped);
        }

        return await LoadAsync(job.Addon, job.Host, job.Port, job.Password, dump, expected, job.ScratchDirectory, job.Progress, null, cancellationToken);
    }

    /// <summary>Loads <paramref name="dump"/> (from the uploaded <paramref name="file"/>, or null for a live source) and checks <paramref name="expected"/> in one psql transaction; then counts what the add-on holds.</summary>
    private static async Task<IReadOnlyList<AddonImportTableDto>> LoadAsync(
        Core.State.AddonRecord target, string host, int port, string password, string dump, IReadOnlyList<ImportCount> expected, string scratch, Action<string> progress, string? file, CancellationToken cancellationToken)
    {
        var verify = Path.Combine(scratch, "verify.sql");
        await File.WriteAllTextAsync(verify, VerifyScript(expected), cancellationToken);
        progress($"loading {new FileInfo(dump).Length.ToString(CultureInfo.InvariantCulture)} bytes of SQL in one transaction");
        var loaded = await AddonTool.RunCapturedAsync(Bin + "/psql",
            [.. Connect(host, port, target.Username, target.Database), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", dump, "-f", verify],
            ClientEnvironment(password), null, null, cancellationToken);
        if (loaded.ExitCode != 0)
        {
            var mismatches = MismatchPattern().Matches(loaded.Errors).Select(m => $"table {m.Groups[1].Value} has {m.Groups[2].Value} rows, the source has {m.Groups[3].Value}").ToList();
            throw mismatches.Count > 0 ? AddonImportErrors.Mismatch(mismatches)
                : loaded.Errors.Contains("backslash commands are restricted", StringComparison.Ordinal) ? AddonImportErrors.MetaCommand(file, "psql meta-commands (a line or statement starting with a backslash: \\connect, \\!, \\copy, \\i …)")
                : AddonImportErrors.Load("psql", loaded);
        }

        // Counted again after the commit, so the report shows what the add-on holds now.
        var after = await AddonTool.RunCapturedAsync(Bin + "/psql", [.. Connect(host, port, target.Username, target.Database), "-X", "-At", "-F", "\t", "-c", CountQuery],
            ClientEnvironment(password), null, null, cancellationToken);
        return AddonImportErrors.Verify(expected, after.ExitCode == 0 ? ParseCounts(after.Output) : []);
    }

    private static string[] Connect(string host, int port, string user, string database) => ["-h", host, "-p", Text(port), "-U", user, "-d", database, "-w"];

    /// <summary>A DO block run in the load's transaction: a table whose count differs raises, which rolls everything back.</summary>
    private static string VerifyScript(IReadOnlyList<ImportCount> expected)
    {
        var tag = "$nuage_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + "$";
        var script = new StringBuilder($"DO {tag}\nDECLARE n bigint;\nBEGIN\n");
        foreach (var table in expected)
        {
            var literal = "'" + table.Name.Replace("'", "''", StringComparison.Ordinal) + "'";
            var rows = table.Rows.ToString(CultureInfo.InvariantCulture);
            script.Append(CultureInfo.InvariantCulture, $"  EXECUTE 'SELECT count(*) FROM ' || {literal} INTO n;\n");
            script.Append(CultureInfo.InvariantCulture, $"  IF n <> {rows} THEN RAISE EXCEPTION 'nuage-import-mismatch table=% imported=% source=%;', {literal}, n, {rows}; END IF;\n");
        }

        return script.Append(CultureInfo.InvariantCulture, $"END\n{tag};\n").ToString();
    }

    private static List<ImportCount> ParseCounts(string output) =>
    [
        .. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 2)
            .Select(parts => new ImportCount(parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture))),
    ];

    [GeneratedRegex(@"nuage-import-mismatch table=(.+?) imported=(\d+) source=(\d+);")]
    private static partial Regex MismatchPattern();
}
