using System.Text;
using System.Text.RegularExpressions;
using Nuage.Core.Api;

namespace Nuage.Server.Addons;

/// <summary>
/// Import from an SQL dump file (mariadb-dump, mysqldump): the rows the dump inserts are counted from its text, then it
/// goes through the same load as a live import (client in sandbox mode, the add-on's tables put back on any failure,
/// every counted table checked).
/// </summary>
internal sealed partial class MariaDbEngine
{
    public override async Task<IReadOnlyList<AddonImportTableDto>> ImportFileAsync(AddonFileImportJob job, CancellationToken cancellationToken)
    {
        var into = new Endpoint(job.Host, job.Port, job.Addon.Username, job.Password, job.Addon.Database);
        var expected = await CountDumpAsync(job.File, cancellationToken);
        job.Progress($"the dump creates {expected.Count} table(s)");
        return await LoadAsync(into, job.File, expected, job.ScratchDirectory, job.Progress, job.Display, cancellationToken);
    }

    /// <summary>
    /// Every table the dump creates with the rows its <c>INSERT INTO `t` VALUES (…),(…);</c> lines hold (mariadb-dump
    /// writes one statement per line). A table also filled by a statement this does not count (one spread over several
    /// lines, INSERT … SELECT) is left out of the check rather than failed.
    /// </summary>
    internal static async Task<IReadOnlyList<ImportCount>> CountDumpAsync(string file, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        var order = new List<string>();
        var uncounted = new HashSet<string>(StringComparer.Ordinal);
        using var reader = new StreamReader(file, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (CreateTable().Match(line) is { Success: true } create)
            {
                var name = create.Groups[1].Value.Replace("``", "`", StringComparison.Ordinal);
                if (rows.TryAdd(name, 0))
                {
                    order.Add(name);
                }
            }
            else if (Insert().Match(line) is { Success: true } insert)
            {
                var name = insert.Groups[1].Value.Replace("``", "`", StringComparison.Ordinal);
                if (Tuples(line.AsSpan(insert.Length)) is { } tuples && rows.ContainsKey(name))
                {
                    rows[name] += tuples;
                }
                else
                {
                    uncounted.Add(name);
                }
            }
        }

        return [.. order.Where(t => !uncounted.Contains(t)).Select(t => new ImportCount(t, rows[t]))];
    }

    /// <summary>The (…) groups of a VALUES list ending the line with ';', or null when the statement does not end there.</summary>
    private static long? Tuples(ReadOnlySpan<char> values)
    {
        long count = 0;
        var depth = 0;
        var quote = '\0';
        for (var i = 0; i < values.Length; i++)
        {
            var c = values[i];
            if (quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '(' && depth++ == 0)
            {
                count++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == ';' && depth == 0)
            {
                return values[(i + 1)..].IsWhiteSpace() ? count : null;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^CREATE TABLE (?:IF NOT EXISTS )?`((?:[^`]|``)+)` \(")]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^INSERT INTO `((?:[^`]|``)+)`(?: \([^)]*\))? VALUES ")]
    private static partial Regex Insert();
}
