using Nuage.Core.Routing;

namespace Nuage.Router;

/// <summary>What the router serves for one app. The server publishes a whole new value on every change.</summary>
/// <param name="AppId">Stable app id (access logs and metrics are tagged with it).</param>
/// <param name="AppName">App name; the app answers at <c>&lt;AppName&gt;.&lt;RouterOptions.DomainSuffix&gt;</c>.</param>
/// <param name="State">Whether the app serves, has no release yet, is stopped, or is being restored after a server start.</param>
/// <param name="DeploymentId">Deployment whose instances serve (null when none).</param>
/// <param name="Instances">Instances receiving traffic (load-balanced); <see cref="InstanceEndpoint.Address"/> is <c>host:port</c> or <c>http://host:port</c>.</param>
public sealed record AppRoute(
    string AppId,
    string AppName,
    RouteState State,
    string? DeploymentId,
    IReadOnlyList<InstanceEndpoint> Instances)
{
    /// <summary>Custom domains (from <c>nuage domain add</c>) served besides the default host.</summary>
    public IReadOnlyList<string> CustomDomains { get; init; } = [];

    /// <summary><c>CC_HEALTH_CHECK_PATH[_N]</c> values; used to re-admit an instance ejected by passive health (TCP connect when empty).</summary>
    public IReadOnlyList<string> HealthPaths { get; init; } = [];

    /// <summary>When set (and <see cref="State"/> is <see cref="RouteState.Serving"/>), the router serves these files itself; <see cref="Instances"/> is empty then.</summary>
    public StaticSiteConfig? StaticSite { get; init; }

    /// <summary>Redirects, headers, compression and protection applied by the router (<c>nuage flow</c>, <c>nuage protect</c>); null: none.</summary>
    public Flow.FlowConfig? Flow { get; init; }
}

/// <summary>Serving state of a route. Persisted by name: do not rename members.</summary>
public enum RouteState
{
    /// <summary>Requests go to the instances (503 when none is healthy).</summary>
    Serving,

    /// <summary>The app exists but no release has been deployed yet (503).</summary>
    NoRelease,

    /// <summary>The app was stopped by its owner (503 page says so).</summary>
    Stopped,

    /// <summary>
    /// The server has just started and has not restored this app's instances yet (503 with Retry-After): a known
    /// app is never answered "No app here" because its route was not back yet.
    /// </summary>
    Restoring,
}
