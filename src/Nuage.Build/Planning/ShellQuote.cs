using System.Text.RegularExpressions;

namespace Nuage.Build.Planning;

/// <summary>Quotes one argument for bash so user-supplied names cannot inject commands.</summary>
public static partial class ShellQuote
{
    public static string Quote(string value) =>
        value.Length > 0 && SafePattern().IsMatch(value) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePattern();
}
