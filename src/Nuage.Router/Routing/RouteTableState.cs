using System.Collections.Frozen;

namespace Nuage.Router.Routing;

/// <summary>One immutable version of the route table. Host lookups take a span (no allocation per request).</summary>
internal sealed class RouteTableState
{
    private readonly FrozenDictionary<string, AppRouteState>.AlternateLookup<ReadOnlySpan<char>> _byHost;
    private readonly FrozenSet<string> _published;

    public RouteTableState(FrozenDictionary<string, AppRouteState> byHost, FrozenSet<string> published)
    {
        _byHost = byHost.GetAlternateLookup<ReadOnlySpan<char>>();
        _published = published;
        Apps = [.. byHost.Values.Distinct()];
    }

    /// <summary>Every routed app once (for gauges).</summary>
    public IReadOnlyList<AppRouteState> Apps { get; }

    public static RouteTableState Empty { get; } =
        new(FrozenDictionary.ToFrozenDictionary(new Dictionary<string, AppRouteState>(), StringComparer.OrdinalIgnoreCase), FrozenSet<string>.Empty);

    public bool IsPublished(string instanceId) => _published.Contains(instanceId);

    /// <summary>Finds the app for a Host header value (port and a trailing dot ignored, case-insensitive).</summary>
    public AppRouteState? Find(ReadOnlySpan<char> host)
    {
        var colon = host.LastIndexOf(':');
        if (colon >= 0 && host.LastIndexOf(']') < colon)
        {
            host = host[..colon];
        }

        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        return _byHost.TryGetValue(host, out var app) ? app : null;
    }
}
