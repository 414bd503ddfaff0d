using System.Globalization;
using System.Text;
using Nuage.Core.Addons;
using Nuage.Core.Api;

namespace Nuage.Server.Addons;

/// <summary>
/// Import from a live MySQL/MariaDB: mariadb-dump --single-transaction into a root-only scratch file, loaded with the
/// mariadb client, then every table's row count is checked. MariaDB cannot roll DDL back, so the add-on is dumped first
/// (the safety copy); on any failure the tables the import added are dropped and that copy is loaded back.
/// </summary>
internal sealed partial class MariaDbEngine
{
    private const string Client = "/usr/bin/mariadb";
    private const string Dump = "/usr/bin/mariadb-dump";
    private const string TablesQuery = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1";

    public override async Task<IReadOnlyList<ImportCount>> CountSourceAsync(AddonSourceUrl source, CancellationToken cancellationToken)
    {
        var endpoint = new Endpoint(source.Host, source.Port, source.User, source.Password, source.Database);
        var (ok, counts, failure) = await CountAsync(endpoint, cancellationToken);
        return ok ? counts : throw AddonImportErrors.Classify(source, failure!);
    }

    public override async Task<IReadOnlyList<AddonImportTableDto>> ImportAsync(AddonImportJob job, IReadOnlyList<ImportCount> expected, CancellationToken cancellationToken)
    {
        var source = job.Source;
        var from = new Endpoint(source.Host, source.Port, source.User, source.Password, source.Database);
        var into = new Endpoint(job.Host, job.Port, job.Addon.Username, job.Password, job.Addon.Database);
        var dump = Path.Combine(job.ScratchDirectory, "source.sql");
        job.Progress($"dumping {expected.Count} table(s) from {source.Redacted}");
        var dumped = await AddonTool.RunCapturedAsync(Dump, [.. from.DumpArgs(), "--single-transaction", "--no-tablespaces", "--skip-lock-tables", from.Database], from.Env(), null, dump, cancellationToken);
        if (dumped.ExitCode != 0)
        {
            throw AddonImportErrors.Classify(source, dumped);
        }

        return await LoadAsync(into, dump, expected, job.ScratchDirectory, job.Progress, null, cancellationToken);
    }

    /// <summary>
    /// Loads <paramref name="dump"/> (from the uploaded <paramref name="file"/>, or null for a live source) with the client
    /// in sandbox mode (no <c>system</c>, <c>source</c>, <c>tee</c>…: the dump is tenant content run on the host), then
    /// checks <paramref name="expected"/>. The add-on's tables are dumped first and put back on any failure.
    /// </summary>
    private static async Task<IReadOnlyList<AddonImportTableDto>> LoadAsync(
        Endpoint into, string dump, IReadOnlyList<ImportCount> expected, string scratch, Action<string> progress, string? file, CancellationToken cancellationToken)
    {
        var (_, before, _) = await CountAsync(into, cancellationToken);
        var safety = Path.Combine(scratch, "addon-before.sql");
        progress("saving the add-on's current tables (restored if the import fails)");
        await AddonTool.RunAsync(Dump, [.. into.DumpArgs(), "--single-transaction", "--no-tablespaces", "--skip-lock-tables", into.Database], into.Env(), null, safety, cancellationToken);

        progress($"loading {new FileInfo(dump).Length.ToString(CultureInfo.InvariantCulture)} bytes of SQL");
        try
        {
            var loaded = await AddonTool.RunCapturedAsync(Client, [.. into.Args(), "--sandbox", into.Database], into.Env(), dump, null, cancellationToken);
            if (loaded.ExitCode != 0)
            {
                throw loaded.Errors.Contains("sandbox mode", StringComparison.OrdinalIgnoreCase)
                    ? AddonImportErrors.MetaCommand(file, "mariadb client commands that reach the file system or a shell (system, \\!, source, tee …)")
                    : AddonImportErrors.Load("mariadb", loaded);
            }

            var (_, after, _) = await CountAsync(into, cancellationToken);
            return AddonImportErrors.Verify(expected, after);
        }
        catch
        {
            progress("import failed: putting the add-on's previous tables back");
            await RollBackAsync(into, before, safety);
            throw;
        }
    }

    /// <summary>Drops what the import added, then loads the safety copy (which drops and recreates the tables it had).</summary>
    private static async Task RollBackAsync(Endpoint into, IReadOnlyList<ImportCount> before, string safety)
    {
        var (_, now, _) = await CountAsync(into, CancellationToken.None);
        var kept = before.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var added = now.Where(t => !kept.Contains(t.Name)).Select(t => Identifier(t.Name)).ToList();
        if (added.Count > 0)
        {
            await AddonTool.RunAsync(Client, [.. into.Args(), into.Database, "-e", $"SET FOREIGN_KEY_CHECKS=0; DROP TABLE IF EXISTS {string.Join(", ", added)};"], into.Env(), null, null, CancellationToken.None);
        }

        await AddonTool.RunAsync(Client, [.. into.Args(), into.Database], into.Env(), safety, null, CancellationToken.None);
    }

    /// <summary>Every base table of the database with its row count, in one query (true and the counts, or false and the client's failure).</summary>
    private static async Task<(bool Ok, IReadOnlyList<ImportCount> Counts, AddonToolResult? Failure)> CountAsync(Endpoint at, CancellationToken cancellationToken)
    {
        var listed = await AddonTool.RunCapturedAsync(Client, [.. at.Args(), at.Database, "-N", "-B", "-e", TablesQuery], at.Env(), null, null, cancellationToken);
        if (listed.ExitCode != 0)
        {
            return (false, [], listed);
        }

        var tables = listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tables.Length == 0)
        {
            return (true, [], null);
        }

        var query = new StringBuilder();
        foreach (var table in tables)
        {
            query.Append(query.Length == 0 ? string.Empty : " UNION ALL ")
                .Append(CultureInfo.InvariantCulture, $"SELECT '{table.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)}', COUNT(*) FROM {Identifier(table)}");
        }

        var counted = await AddonTool.RunCapturedAsync(Client, [.. at.Args(), at.Database, "-N", "-B", "-e", query.ToString()], at.Env(), null, null, cancellationToken);
        if (counted.ExitCode != 0)
        {
            return (false, [], counted);
        }

        return (true, [.. counted.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 2)
            .Select(parts => new ImportCount(parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture)))], null);
    }

    private static string Identifier(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    /// <summary>A server, user and database to run the client against; the password goes in MYSQL_PWD only.</summary>
    private sealed record Endpoint(string Host, int Port, string User, string Password, string Database)
    {
        /// <summary>For the mariadb client (mariadb-dump has no connect timeout: it runs after the client reached the same server).</summary>
        public string[] Args() => ["--connect-timeout=10", .. DumpArgs()];

        public string[] DumpArgs() => ["-h", Host, "-P", Text(Port), "-u", User];

        public Dictionary<string, string> Env() => new() { ["MYSQL_PWD"] = Password };
    }
}
