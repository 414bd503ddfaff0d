using System.Text.RegularExpressions;
using Nuage.Core.Errors;

namespace Nuage.Core.Env;

/// <summary>Shape rules every environment variable obeys, whatever its meaning.</summary>
public static partial class EnvNames
{
    public const int MaxNameLength = 128;
    public const int MaxValueLength = 64 * 1024;
    public const int MaxVariables = 1000;

    /// <summary>
    /// Cap on all of an app's variables together (UTF-8 NAME=value plus a terminator each): they reach every process
    /// of the app through its environment, and Linux refuses to start a process whose arguments and environment pass
    /// about 2 MiB ("Argument list too long"); the rest is left for the platform's own variables.
    /// </summary>
    public const int MaxTotalBytes = 1024 * 1024;

    /// <summary>The bytes <paramref name="variables"/> take in a process environment (NAME=value and a NUL each).</summary>
    public static long TotalBytes(IEnumerable<KeyValuePair<string, string>> variables) =>
        variables.Sum(v => (long)System.Text.Encoding.UTF8.GetByteCount(v.Key) + System.Text.Encoding.UTF8.GetByteCount(v.Value) + 2);

    /// <summary>Null when <paramref name="all"/> (the app's variables after a change) fit <see cref="MaxTotalBytes"/>; else the error naming the total, the cap and the variable.</summary>
    public static FieldError? CheckTotal(IReadOnlyDictionary<string, string> all, string? changed)
    {
        var total = TotalBytes(all);
        if (total <= MaxTotalBytes)
        {
            return null;
        }

        var name = changed is not null && all.ContainsKey(changed) ? changed : all.MaxBy(v => v.Value.Length).Key;
        var size = TotalBytes([new(name, all[name])]);
        return new FieldError(
            name,
            $"{size} bytes",
            $"the app's variables would total {total} bytes with {name} ({size} bytes); at most {MaxTotalBytes} bytes are accepted in all, "
            + "because every process of the app receives them in its environment. Shorten or remove variables (large content belongs in files under the app's data folder).");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static FieldError? CheckName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && Pattern().IsMatch(name)
            ? null
            : new FieldError("name", name, $"\"{name}\" is not a valid variable name; use letters, digits and '_', not starting with a digit, at most {MaxNameLength} characters");

    public static FieldError? CheckValue(string name, string? value) => value switch
    {
        null => new FieldError(name, null, "a value is required"),
        { Length: > MaxValueLength } => new FieldError(name, value[..32] + "…", $"value is {value.Length} characters; at most {MaxValueLength} are accepted"),
        _ when value.Contains('\0', StringComparison.Ordinal) => new FieldError(name, null, "value contains a NUL character, which environment variables cannot hold"),
        _ => null,
    };
}
