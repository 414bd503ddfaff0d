using System.Text.RegularExpressions;

namespace Nuage.Core.Variables;

public sealed partial class VariableRegistry
{
    [GeneratedRegex("_(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex IndexSuffix();

    /// <summary>
    /// The registered name closest to an unknown <paramref name="name"/> (case-insensitive, optimal string alignment
    /// distance at most 1 for short names, 2 from 8 characters, 3 from 16), or null when none is that close.
    /// An index suffix is kept: CC_WORKER_COMAND_2 suggests CC_WORKER_COMMAND_2.
    /// </summary>
    public string? Suggest(string name)
    {
        var upper = name.ToUpperInvariant();
        var budget = upper.Length >= 16 ? 3 : upper.Length >= 8 ? 2 : 1;
        string? best = null;
        var bestDistance = int.MaxValue;

        var suffix = IndexSuffix().Match(upper);
        foreach (var definition in All)
        {
            Consider(definition.Name, upper, definition.Name);
            if (definition.Indexed && suffix.Success)
            {
                Consider(definition.Name, upper[..suffix.Index], definition.Name + suffix.Value);
            }
        }

        return best;

        void Consider(string registered, string candidate, string proposal)
        {
            var distance = Distance(registered, candidate);
            if (distance <= budget && (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(proposal, best) < 0))
                && proposal != name)
            {
                best = proposal;
                bestDistance = distance;
            }
        }
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
