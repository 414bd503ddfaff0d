using Nuage.Core.Instances;
using Nuage.Core.Routing;
using Nuage.Router;

namespace Nuage.Server.Instances;

internal sealed partial class AppInstances
{
    /// <summary>The route the router serves for the app now (null when it has none).</summary>
    public AppRoute? Route(string appId) => _router.Routes.FirstOrDefault(r => r.AppId == appId);

    /// <summary>The live specs of an app's deployment (web and workers), by instance number.</summary>
    public IReadOnlyList<InstanceSpec> SpecsOf(string appId, string deploymentId) =>
        [.. _specs.Values.Where(s => s.AppId == appId && s.DeploymentId == deploymentId && s.Kind != InstanceKind.Task).OrderBy(s => s.InstanceNumber).ThenBy(s => s.InstanceId, StringComparer.Ordinal)];

    /// <summary>
    /// Replaces the web endpoints of the app's serving route in one atomic swap, keeping everything else (domains,
    /// flow, health paths). False, and nothing published, when the route no longer serves <paramref name="deploymentId"/>
    /// (a deployment switched meanwhile).
    /// </summary>
    public bool TryPublishEndpoints(string appId, string deploymentId, Func<IReadOnlyList<InstanceEndpoint>, IReadOnlyList<InstanceEndpoint>> change)
    {
        lock (_publishLock)
        {
            if (Route(appId) is not { State: RouteState.Serving, StaticSite: null } route || route.DeploymentId != deploymentId)
            {
                return false;
            }

            _router.Publish(route with { Instances = [.. change(route.Instances).OrderBy(e => e.InstanceNumber)], CustomDomains = _domains.Of(appId), Flow = _flows.Of(appId) });
            return true;
        }
    }
}
