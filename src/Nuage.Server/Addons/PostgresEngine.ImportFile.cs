using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Nuage.Core.Api;

namespace Nuage.Server.Addons;

/// <summary>
/// Import from a dump file. A custom-format dump is turned into SQL by pg_restore (reading it on stdin as an
/// unprivileged user: the file is the tenant's); then the SQL goes through the same single-transaction load and
/// row-count check as a live import. The file is tenant content run by psql on the host, so the script starts with
/// <c>\restrict</c> and a random key: psql then refuses every meta-command (<c>\!</c>, <c>\copy</c>, <c>\i</c>, <c>\o</c>…)
/// for the whole load, and the file cannot lift it without the key.
/// </summary>
internal sealed partial class PostgresEngine
{
    public override async Task<IReadOnlyList<AddonImportTableDto>> ImportFileAsync(AddonFileImportJob job, CancellationToken cancellationToken)
    {
        var sql = job.File;
        if (job.Format == AddonDumpFormat.PostgresCustom)
        {
            sql = Path.Combine(job.ScratchDirectory, "dump.sql");
            job.Progress("converting the custom-format dump to SQL (pg_restore)");
            var (program, args) = Unprivileged.Command(Bin + "/pg_restore", "--no-owner", "--no-acl", "--clean", "--if-exists", "-f", "-");
            var converted = await AddonTool.RunCapturedAsync(program, args, new Dictionary<string, string>(), job.File, sql, cancellationToken);
            if (converted.ExitCode != 0)
            {
                throw AddonImportErrors.File(job, $"pg_restore cannot read it ({converted.LastErrorLines.Trim()})");
            }
        }

        var script = Path.Combine(job.ScratchDirectory, "load.sql");
        var expected = await RestrictedScriptAsync(sql, script, cancellationToken);
        return await LoadAsync(job.Addon, job.Host, job.Port, job.Password, script, expected, job.ScratchDirectory, job.Progress, job.Display, cancellationToken);
    }

    /// <summary>
    /// Copies <paramref name="input"/> to <paramref name="output"/> behind a <c>\restrict</c> with a fresh key, leaving out
    /// the dump's own <c>\restrict</c>/<c>\unrestrict</c> lines (pg_dump 15.14 and later writes them). Returns the rows of
    /// every <c>COPY … FROM stdin</c> block (one line per row): what the load must produce.
    /// </summary>
    internal static async Task<IReadOnlyList<ImportCount>> RestrictedScriptAsync(string input, string output, CancellationToken cancellationToken)
    {
        var counts = new List<ImportCount>();
        using var reader = new StreamReader(input, Encoding.UTF8);
        await using var writer = new StreamWriter(output, false, new UTF8Encoding(false)) { NewLine = "\n" };
        await writer.WriteLineAsync(@"\restrict " + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        string? table = null;
        long rows = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (table is not null)
            {
                if (line == @"\.")
                {
                    counts.Add(new ImportCount(table, rows));
                    table = null;
                }
                else
                {
                    rows++;
                }
            }
            else if (RestrictLine().IsMatch(line))
            {
                continue;
            }
            else if (CopyLine().Match(line) is { Success: true } copy)
            {
                (table, rows) = (copy.Groups[1].Value, 0);
            }

            await writer.WriteLineAsync(line);
        }

        return counts;
    }

    [GeneratedRegex(@"^\\(un)?restrict(\s|$)")]
    private static partial Regex RestrictLine();

    [GeneratedRegex(@"^COPY ([^ (]+) (?:\([^)]*\) )?FROM stdin;$")]
    private static partial Regex CopyLine();
}
