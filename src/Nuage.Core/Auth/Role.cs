namespace Nuage.Core.Auth;

/// <summary>
/// Roles inside an organisation, ordered by power (each includes what the ones below it may do): viewer reads,
/// accountant also reads usage and billing, developer deploys and changes apps, manager also manages members below
/// admin, admin does everything in the organisation. Persisted by name: do not rename members (numbers may change).
/// </summary>
public enum Role
{
    Viewer = 0,
    Accountant = 1,
    Developer = 2,
    Manager = 3,
    Admin = 4,
}
