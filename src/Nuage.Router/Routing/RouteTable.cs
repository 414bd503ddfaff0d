using System.Collections.Frozen;
using Nuage.Core.Apps;
using Nuage.Core.Errors;
using Nuage.Core.Routing;

namespace Nuage.Router.Routing;

/// <summary>
/// The host → app table. Readers take <see cref="Current"/> (one volatile read, no lock); writers build a whole new
/// snapshot under a lock and swap it, so a switch is atomic and never drops a connection.
/// </summary>
internal sealed partial class RouteTable : IDisposable
{
    private readonly Lock _write = new();
    private readonly string _domainSuffix;
    private readonly Dictionary<string, AppRouteState> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DestinationState> _destinations = new(StringComparer.Ordinal);
    private volatile RouteTableState _current = RouteTableState.Empty;

    public RouteTable(string domainSuffix) => _domainSuffix = domainSuffix.ToLowerInvariant();

    public RouteTableState Current => _current;

    public IReadOnlyList<AppRoute> Routes
    {
        get
        {
            lock (_write)
            {
                return [.. _apps.Values.Select(a => a.Route)];
            }
        }
    }

    /// <summary>Replaces the app's route. Instances that left it are retired (no new requests); drain them next.</summary>
    public AppRouteState Publish(AppRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var hosts = Validate(route);
        var site = route.StaticSite is { } config && route.State == RouteState.Serving ? StaticFiles.StaticSite.Open(config) : null;
        lock (_write)
        {
            foreach (var other in _apps.Values)
            {
                if (other.Route.AppId == route.AppId)
                {
                    continue;
                }

                var taken = other.Hosts.Intersect(hosts, StringComparer.Ordinal).FirstOrDefault();
                if (taken is not null)
                {
                    site?.Dispose();
                    throw NuageException.Conflict(ErrorCodes.DomainInUse, $"{taken} is already served by app {other.Route.AppName}; remove it there first");
                }
            }

            var destinations = site is null ? new DestinationState[route.Instances.Count] : [ResolveStatic(site)];
            for (var i = 0; site is null && i < destinations.Length; i++)
            {
                destinations[i] = Resolve(route.Instances[i]);
            }

            var state = new AppRouteState(route, hosts, destinations);
            _apps.TryGetValue(route.AppId, out var previous);
            _apps[route.AppId] = state;
            Swap();
            foreach (var destination in destinations)
            {
                destination.Restore();
            }

            RetireUnpublished(previous);
            return state;
        }
    }

    /// <summary>Stops routing the app (its hosts answer 404). Its instances are retired; drain them next.</summary>
    public bool Remove(string appId)
    {
        lock (_write)
        {
            if (!_apps.Remove(appId, out var previous))
            {
                return false;
            }

            Swap();
            RetireUnpublished(previous);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_write)
        {
            foreach (var destination in _destinations.Values)
            {
                destination.Dispose();
            }

            _destinations.Clear();
        }
    }

    private DestinationState Resolve(InstanceEndpoint instance)
    {
        var address = InstanceAddress.Parse(instance);
        if (_destinations.TryGetValue(instance.InstanceId, out var existing) && existing.Address == address)
        {
            return existing;
        }

        var created = new DestinationState(instance.InstanceId, address);
        _destinations[instance.InstanceId] = created;
        return created;
    }

    /// <summary>The same serving published again keeps its destination (and its in-flight count); the site just opened is dropped.</summary>
    private DestinationState ResolveStatic(StaticFiles.StaticSite site)
    {
        var id = site.Config.ServingId;
        if (_destinations.TryGetValue(id, out var existing) && existing.Site?.Config == site.Config)
        {
            site.Dispose();
            return existing;
        }

        var created = new DestinationState(id, site);
        _destinations[id] = created;
        return created;
    }

    private void Swap()
    {
        var byHost = new Dictionary<string, AppRouteState>(StringComparer.OrdinalIgnoreCase);
        var published = new HashSet<string>(StringComparer.Ordinal);
        foreach (var app in _apps.Values)
        {
            foreach (var host in app.Hosts)
            {
                byHost[host] = app;
            }

            foreach (var destination in app.Destinations)
            {
                published.Add(destination.InstanceId);
            }
        }

        _current = new RouteTableState(byHost.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), published.ToFrozenSet(StringComparer.Ordinal));
    }

    private void RetireUnpublished(AppRouteState? previous)
    {
        if (previous is null)
        {
            return;
        }

        foreach (var destination in previous.Destinations)
        {
            if (!_current.IsPublished(destination.InstanceId))
            {
                destination.Retire();
            }
        }
    }

    private List<string> Validate(AppRoute route)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(route.AppId))
        {
            errors.Add(new FieldError(nameof(AppRoute.AppId), route.AppId, "is required"));
        }

        if (AppNames.Check(nameof(AppRoute.AppName), route.AppName) is { } nameError)
        {
            errors.Add(nameError);
        }

        var hosts = new List<string> { $"{route.AppName}.{_domainSuffix}" };
        foreach (var domain in route.CustomDomains)
        {
            var host = domain.TrimEnd('.').ToLowerInvariant();
            if (Uri.CheckHostName(host) != UriHostNameType.Dns || !host.Contains('.', StringComparison.Ordinal))
            {
                errors.Add(new FieldError(nameof(AppRoute.CustomDomains), domain, "must be a DNS name with at least one dot, e.g. www.example.com"));
            }
            else if (!hosts.Contains(host))
            {
                hosts.Add(host);
            }
        }

        if (route.StaticSite is { } staticSite && (route.Instances.Count > 0 || string.IsNullOrEmpty(staticSite.ServingId)))
        {
            errors.Add(new FieldError(nameof(AppRoute.StaticSite), staticSite.ServingId, "a static site needs a serving id and no instances"));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instance in route.Instances)
        {
            if (string.IsNullOrEmpty(instance.InstanceId) || !ids.Add(instance.InstanceId))
            {
                errors.Add(new FieldError("Instances.InstanceId", instance.InstanceId, "must be present and unique within the route"));
            }

            try
            {
                InstanceAddress.Parse(instance);
            }
            catch (NuageException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidRoute, errors);
        }

        return hosts;
    }
}
