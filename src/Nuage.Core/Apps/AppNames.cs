using System.Text.RegularExpressions;
using Nuage.Core.Errors;

namespace Nuage.Core.Apps;

/// <summary>The one security boundary for app names: they become host names and directory names.</summary>
public static partial class AppNames
{
    public const int MinLength = 2;
    public const int MaxLength = 48;
    public const string Accepted = "2-48 characters of a-z, 0-9 and '-', not starting or ending with '-'";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) =>
        name is { Length: >= MinLength and <= MaxLength } && Pattern().IsMatch(name);

    public static FieldError? Check(string field, string? name) =>
        IsValid(name) ? null : new FieldError(field, name, $"{Describe(name)} is not a valid app name; use {Accepted}");

    private static string Describe(string? name) => name is null ? "nothing" : $"\"{name}\"";
}
