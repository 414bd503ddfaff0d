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
    /// Every table the dump creates with the rows its <c>INSERT INTO `t` VALUES (…),(…);</c> statements hold
    /// (mariadb-dump writes a statement over several lines, one row per line; older dumps put it on one line). A table
    /// also filled otherwise (INSERT … SELECT, INSERT IGNORE, REPLACE) is left out of the check rather than failed.
    /// </summary>
    internal static async Task<IReadOnlyList<ImportCount>> CountDumpAsync(string file, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        var order = new List<string>();
        var uncounted = new HashSet<string>(StringComparer.Ordinal);
        using var reader = new StreamReader(file, Encoding.UTF8);
        var values = new ValuesCounter();
        string? table = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (table is not null)
            {
                if (values.Feed(line))
                {
                    rows[table] += values.Rows;
                    table = null;
                }

                continue;
            }

            if (CreateTable().Match(line) is { Success: true } create)
            {
                var name = Unquote(create.Groups[1].Value);
                if (rows.TryAdd(name, 0))
                {
                    order.Add(name);
                }
            }
            else if (Insert().Match(line) is { Success: true } insert && rows.ContainsKey(Unquote(insert.Groups[1].Value)))
            {
                table = Unquote(insert.Groups[1].Value);
                values = new ValuesCounter();
                if (values.Feed(line[insert.Length..]))
                {
                    rows[table] += values.Rows;
                    table = null;
                }
            }
            else if (AnyInsert().Match(line) is { Success: true } other)
            {
                uncounted.Add(Unquote(other.Groups[1].Value));
            }
        }

        return [.. order.Where(t => !uncounted.Contains(t)).Select(t => new ImportCount(t, rows[t]))];
    }

    private static string Unquote(string name) => name.Replace("``", "`", StringComparison.Ordinal);

    /// <summary>Counts the (…) groups of a VALUES list fed line by line, until the ';' that ends the statement.</summary>
    private sealed class ValuesCounter
    {
        private int _depth;
        private char _quote;

        public long Rows { get; private set; }

        /// <summary>True once the statement's closing ';' was seen.</summary>
        public bool Feed(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (_quote != '\0')
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == _quote)
                    {
                        _quote = '\0';
                    }
                }
                else if (c is '\'' or '"')
                {
                    _quote = c;
                }
                else if (c == '(' && _depth++ == 0)
                {
                    Rows++;
                }
                else if (c == ')')
                {
                    _depth--;
                }
                else if (c == ';' && _depth == 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    [GeneratedRegex(@"^CREATE TABLE (?:IF NOT EXISTS )?`((?:[^`]|``)+)` \(")]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^INSERT INTO `((?:[^`]|``)+)`(?: \([^)]*\))? VALUES(?: |$)")]
    private static partial Regex Insert();

    [GeneratedRegex(@"^(?:INSERT|REPLACE)(?: IGNORE)? INTO `((?:[^`]|``)+)`")]
    private static partial Regex AnyInsert();
}
