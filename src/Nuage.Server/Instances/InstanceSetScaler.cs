using System.Collections.Concurrent;
using Nuage.Core.Apps;
using Nuage.Core.Instances;
using Nuage.Router;
using Nuage.Server.Releases;

namespace Nuage.Server.Instances;

/// <summary>Where a <see cref="InstanceSetScaler.ScaleToAsync"/> stopped: the web instances serving and the last step's detail.</summary>
/// <param name="Serving">Web instances serving when it stopped (the target, unless a step failed).</param>
/// <param name="Detail">The failed step's reason, or what the last step did.</param>
internal sealed record InstanceSetResult(int Serving, string Detail);

/// <summary>The outcome of adding or removing one instance of the serving release.</summary>
/// <param name="Changed">True when the instance serves (added) or has been drained and stopped (removed).</param>
/// <param name="Detail">What happened, or why it did not (e.g. the health check's failure).</param>
internal sealed record InstanceSetChange(bool Changed, string Detail);

/// <summary>
/// Adds or removes single instances of an app's serving release without a rebuild or a new deployment. A new instance
/// (its web process and the workers of its number) starts beside the others and joins the route only after it passes
/// its health check; a failing one is stopped and the route is left as it was. A removed instance leaves the route
/// first, then drains (in-flight requests finish) before it stops. Changes of one app are serialised (the autoscaler
/// and a manual <c>nuage scale --instances</c> never interleave their steps).
/// </summary>
internal sealed class InstanceSetScaler(AppInstances instances, InstanceSpecFactory factory)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds or removes instances one at a time until <paramref name="target"/> web instances serve, or a step fails
    /// (then it stops there: the instances added so far keep serving). Holds the app's gate throughout.
    /// </summary>
    public async Task<InstanceSetResult> ScaleToAsync(AppConfig app, int target, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(app.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var detail = "no change needed";
            while (Serving(app) is var count && count != target && count > 0)
            {
                var change = count < target ? await AddAsync(app, cancellationToken) : await RemoveAsync(app, cancellationToken);
                detail = change.Detail;
                if (!change.Changed)
                {
                    break;
                }
            }

            return new InstanceSetResult(Serving(app), detail);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Web instances serving the app now (0 for a static site or an app that does not serve).</summary>
    public int Serving(AppConfig app) =>
        instances.Route(app.Id) is { StaticSite: null } route && route.DeploymentId == app.CurrentDeploymentId ? route.Instances.Count : 0;

    public async Task<InstanceSetChange> AddAsync(AppConfig app, CancellationToken cancellationToken)
    {
        if (app.CurrentDeploymentId is not { } deploymentId || instances.Route(app.Id) is not { StaticSite: null } route || route.DeploymentId != deploymentId)
        {
            return new(false, "the app has no serving release with instances");
        }

        var current = instances.SpecsOf(app.Id, deploymentId);
        var template = current.Where(s => s.Kind == InstanceKind.Web).MinBy(s => s.InstanceNumber);
        if (template is null)
        {
            return new(false, "the serving release has no web instance to copy");
        }

        var used = current.Select(s => s.InstanceNumber).ToHashSet();
        var number = Enumerable.Range(0, used.Count + 1).First(n => !used.Contains(n));
        var group = current.Where(s => s.InstanceNumber == template.InstanceNumber).Select(s => factory.Another(s, number)).ToList();
        await instances.StartAsync(group, cancellationToken); // stops what it started and rethrows on failure
        var ids = group.Select(s => s.InstanceId).ToList();
        var endpoints = AppInstances.Endpoints(group);
        var (healthy, detail) = await instances.WaitHealthyAsync(endpoints, route.HealthPaths, cancellationToken);
        if (!healthy)
        {
            await instances.RetireAsync(ids, drain: false, CancellationToken.None);
            return new(false, detail);
        }

        if (!instances.TryPublishEndpoints(app.Id, deploymentId, served => [.. served, .. endpoints]))
        {
            await instances.RetireAsync(ids, drain: false, CancellationToken.None);
            return new(false, "a deployment switched the app to another release meanwhile");
        }

        return new(true, $"instance {endpoints[0].InstanceId} serves after passing its health check");
    }

    /// <summary>Removes the highest-numbered instance (with its workers); never the last one.</summary>
    public async Task<InstanceSetChange> RemoveAsync(AppConfig app, CancellationToken cancellationToken)
    {
        if (app.CurrentDeploymentId is not { } deploymentId || instances.Route(app.Id) is not { StaticSite: null } route || route.DeploymentId != deploymentId)
        {
            return new(false, "the app has no serving release with instances");
        }

        var current = instances.SpecsOf(app.Id, deploymentId);
        var numbers = current.Where(s => s.Kind == InstanceKind.Web).Select(s => s.InstanceNumber).Distinct().ToList();
        if (numbers.Count <= 1)
        {
            return new(false, "the app runs a single instance");
        }

        var number = numbers.Max();
        var group = current.Where(s => s.InstanceNumber == number).Select(s => s.InstanceId).ToList();
        if (!instances.TryPublishEndpoints(app.Id, deploymentId, served => [.. served.Where(e => !group.Contains(e.InstanceId))]))
        {
            return new(false, "a deployment switched the app to another release meanwhile");
        }

        await instances.RetireAsync(group, drain: true, cancellationToken); // new requests go elsewhere; in-flight ones finish
        return new(true, $"instance {group.First(id => current.First(s => s.InstanceId == id).Kind == InstanceKind.Web)} drained and stopped");
    }
}
