namespace Nuage.Core.Auth;

/// <summary>
/// What a request turned out to touch, noted by the services as they resolve it (the app's organisation), so the
/// audit trail records the organisation of the resource rather than only the caller's.
/// </summary>
public sealed class CallerActivity
{
    public string? OrgId { get; set; }

    /// <summary>The resource a request created when its name was in the body rather than the path (a new app, a new organisation).</summary>
    public string? Target { get; set; }
}
