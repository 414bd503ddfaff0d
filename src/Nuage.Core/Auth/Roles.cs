namespace Nuage.Core.Auth;

/// <summary>The one way role names are read from and written to users (lower case, by name).</summary>
public static class Roles
{
    public static string Accepted { get; } = string.Join(", ", Enum.GetValues<Role>().Select(Name));

    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out Role role)
    {
        role = default;
        return value is not null && !int.TryParse(value, out _) && Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role);
    }

    public static Role Min(Role a, Role b) => a < b ? a : b;
}
