using System.Text.RegularExpressions;
using Nuage.Core.Errors;

namespace Nuage.Core.Env;

/// <summary>Shape rules every environment variable obeys, whatever its meaning.</summary>
public static partial class EnvNames
{
    public const int MaxNameLength = 128;
    public const int MaxValueLength = 64 * 1024;
    public const int MaxVariables = 1000;

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
