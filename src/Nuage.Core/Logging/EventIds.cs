namespace Nuage.Core.Logging;

/// <summary>A block of log event ids owned by the code in one namespace (and the namespaces below it).</summary>
public sealed record EventIdRange(string Namespace, int First, int Last, string Component)
{
    public bool Contains(int id) => id >= First && id <= Last;
}

/// <summary>
/// The registry of log event ids. Each component writes its <c>[LoggerMessage(EventId = …)]</c> ids inside its own
/// range, so an id names one message across the whole server (operators filter and alert on them). The most
/// specific namespace wins. EventIdTests (tests/Nuage.Server.Tests/Architecture) fails on an id outside its range
/// or used twice. To add a message: take the next free id in your range; to add a component: add a range here.
/// </summary>
public static class EventIds
{
    public static IReadOnlyList<EventIdRange> Ranges { get; } =
    [
        new("Nuage.Server.Api", 1000, 1099, "REST API"),
        new("Nuage.Server.Hosting", 1100, 1199, "server host"),
        new("Nuage.Server.Network", 1300, 1349, "BGP speaker in the server (router health, announcements)"),
        new("Nuage.Server", 2000, 2099, "server (other areas)"),
        new("Nuage.Server.Instances", 2100, 2199, "instance sets"),
        new("Nuage.Server.Deployments", 2200, 2299, "deployments"),
        new("Nuage.Server.Domains", 2300, 2399, "domains"),
        new("Nuage.Server.Git", 2400, 2499, "git remote"),
        new("Nuage.Server.Logs", 2500, 2599, "logs, drains and metrics endpoints"),
        new("Nuage.Server.Addons", 2600, 2699, "add-ons (managed databases)"),
        new("Nuage.Server.Audit", 2700, 2749, "audit trail"),
        new("Nuage.Server.Orgs", 2750, 2799, "organisations, members, OpenID Connect sign-in"),
        new("Nuage.Server.Oidc", 2800, 2849, "OpenID Connect sign-in (device flow, ID tokens, sessions)"),
        new("Nuage.Server.RouterProcess", 2850, 2899, "the server's link to the router process"),
        new("Nuage.Server.Acme", 2900, 2949, "ACME certificates"),
        new("Nuage.Server.Flow", 2950, 2999, "request flow rules and app protection"),
        new("Nuage.Server.Autoscale", 1200, 1249, "autoscaler decisions"),
        new("Nuage.Server.Usage", 1250, 1299, "usage metering and spending ceilings"),
        new("Nuage.Build", 3000, 3999, "build: intake 30xx, steps 31xx, cache 32xx"),
        new("Nuage.Runtime", 4000, 4999, "scheduler and sandbox"),
        new("Nuage.Router", 5000, 5999, "router"),
        new("Nuage.Logs", 6000, 6999, "log store 60xx, tailers 61xx, drains 62xx"),
        new("Nuage.Server.Mcp", 7000, 7099, "MCP server"),
        new("Nuage.State", 8000, 8099, "state store"),
        new("Nuage.Cli", 9000, 9099, "CLI"),
        new("Nuage.Bgp", 9100, 9199, "BGP speaker and RPKI client"),
    ];

    /// <summary>The range owning code in <paramref name="ns"/> (longest matching namespace), or null.</summary>
    public static EventIdRange? RangeOf(string? ns) =>
        ns is null
            ? null
            : Ranges.Where(r => ns == r.Namespace || ns.StartsWith(r.Namespace + ".", StringComparison.Ordinal))
                .OrderByDescending(r => r.Namespace.Length).FirstOrDefault();
}
