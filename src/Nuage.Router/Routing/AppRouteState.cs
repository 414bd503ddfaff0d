using System.Diagnostics;

namespace Nuage.Router.Routing;

/// <summary>Immutable per-app snapshot the hot path reads: the declared route plus its destinations.</summary>
internal sealed class AppRouteState
{
    private int _next;

    public AppRouteState(AppRoute route, IReadOnlyList<string> hosts, DestinationState[] destinations)
    {
        Route = route;
        Hosts = hosts;
        Destinations = destinations;
        AppTag = new KeyValuePair<string, object?>("app", route.AppId);
        Flow = Nuage.Router.Flow.FlowPolicy.Compile(route.Flow);
    }

    /// <summary>The app's request-flow rules, compiled; null when it has none.</summary>
    public Nuage.Router.Flow.FlowPolicy? Flow { get; }

    public AppRoute Route { get; }

    public IReadOnlyList<string> Hosts { get; }

    public DestinationState[] Destinations { get; }

    /// <summary>Metric tag, built once per publish instead of once per request.</summary>
    public KeyValuePair<string, object?> AppTag { get; }

    public int HealthyCount => Destinations.Count(d => d.IsAvailable);

    /// <summary>Round-robin over available destinations; null when none is available.</summary>
    public DestinationState? Pick()
    {
        var destinations = Destinations;
        var count = destinations.Length;
        if (count == 1)
        {
            var only = destinations[0];
            return only.IsAvailable ? only : null;
        }

        if (count == 0)
        {
            return null;
        }

        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
        for (var i = 0; i < count; i++)
        {
            var candidate = destinations[(start + i) % count];
            if (candidate.IsAvailable)
            {
                return candidate;
            }
        }

        return null;
    }

    public override string ToString()
    {
        Debug.Assert(Route is not null);
        return $"{Route.AppId} ({string.Join(", ", Hosts)})";
    }
}
