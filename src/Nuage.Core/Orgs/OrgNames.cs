using System.Text.RegularExpressions;
using Nuage.Core.Errors;

namespace Nuage.Core.Orgs;

/// <summary>Organisation names (same shape as app names) and the organisation an upgraded install moves into.</summary>
public static partial class OrgNames
{
    /// <summary>Where apps and tokens of a single-organisation install live after the upgrade (migration 5/6).</summary>
    public const string Default = "default";

    public const string DefaultId = "org_default";

    public const string Accepted = "2-48 characters of a-z, 0-9 and '-', not starting or ending with '-'";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    public static FieldError? Check(string field, string? name) =>
        IsValid(name) ? null : new FieldError(field, name, $"{(name is null ? "nothing" : $"\"{name}\"")} is not a valid organisation name; use {Accepted}");
}
