namespace Nuage.Core.Auth;

/// <summary>Token roles, ordered by power. Persisted by name: do not rename members.</summary>
public enum Role
{
    Viewer = 0,
    Developer = 1,
    Admin = 2,
}
