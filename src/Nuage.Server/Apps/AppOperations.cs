using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Deployments;
using Nuage.Server.Instances;

namespace Nuage.Server.Apps;

/// <summary>
/// Day-2 operations: scale, restart, stop, start, list instances. A new instance count of a serving app is reached
/// one instance at a time (<see cref="InstanceSetScaler"/>: added ones join the route after their health check,
/// removed ones drain first; the others keep running). Other changes that need new instances (a flavor, a restart)
/// go through a deployment of the current release, so they are health-gated and switch without downtime like a deploy.
/// </summary>
internal sealed class AppOperations(
    IStateStore store, AppService apps, DeploymentService deployments, AppInstances instances, InstanceSetScaler scaler, Autoscale.AutoscalePolicies autoscale)
{
    public async Task<OperationDto> ScaleAsync(Caller caller, string appName, ScaleRequest request, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Scaling apps");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var errors = new List<FieldError>();
        if (request.Instances is null && request.Flavor is null)
        {
            errors.Add(new FieldError("instances", null, "give instances (1-" + AppService.MaxInstances + ") and/or flavor (" + Flavors.Accepted + ")"));
        }

        if (request.Instances is { } count && count is < 1 or > AppService.MaxInstances)
        {
            errors.Add(new FieldError("instances", count.ToString(System.Globalization.CultureInfo.InvariantCulture), $"use a whole number from 1 to {AppService.MaxInstances}"));
        }

        var flavor = request.Flavor is null ? null : Flavors.Find(request.Flavor);
        if (request.Flavor is not null && flavor is null)
        {
            errors.Add(new FieldError("flavor", request.Flavor, $"\"{request.Flavor}\" is not a flavor; use one of: {Flavors.Accepted}"));
        }

        if (errors.Count > 0)
        {
            throw NuageException.Invalid(ErrorCodes.InvalidScale, errors);
        }

        autoscale.CheckManualCount(app, request.Instances);
        autoscale.CheckManualFlavor(app, flavor?.Name);
        var scaled = app with { Instances = request.Instances ?? app.Instances, Flavor = flavor?.Name ?? app.Flavor };
        var from = scaled.Running ? scaler.Serving(app) : 0;
        if (scaled.Flavor == app.Flavor && from > 0)
        {
            return await ScaleInPlaceAsync(scaled, from, cancellationToken);
        }

        await store.Apps.UpdateAsync(scaled, cancellationToken);
        var summary = $"{scaled.Name}: {scaled.Instances} × {scaled.Flavor}";
        return scaled.CurrentDeploymentId is null || !scaled.Running
            ? new OperationDto(apps.ToDto(scaled), null, summary + " (applies at the next deploy)")
            : new OperationDto(apps.ToDto(scaled), await deployments.ReuseAsync(caller, appName, null, DeploymentKind.Restart, cancellationToken), summary);
    }

    /// <summary>
    /// Same flavor, serving instances: add or remove instances one at a time, no deployment. The desired count is saved
    /// first (a restart meanwhile starts that many); if an added instance fails its health check, the count that serves
    /// is saved instead and the call fails with the reason (the app keeps serving from what it has).
    /// </summary>
    private async Task<OperationDto> ScaleInPlaceAsync(AppConfig scaled, int from, CancellationToken cancellationToken)
    {
        await store.Apps.UpdateAsync(scaled, cancellationToken);
        var result = await scaler.ScaleToAsync(scaled, scaled.Instances, cancellationToken);
        if (result.Serving != scaled.Instances)
        {
            if (await store.Apps.FindByIdAsync(scaled.Id, CancellationToken.None) is { } fresh && fresh.Instances == scaled.Instances)
            {
                await store.Apps.UpdateAsync(fresh with { Instances = result.Serving }, CancellationToken.None);
            }

            throw NuageException.Conflict(
                result.Serving < scaled.Instances ? ErrorCodes.Unhealthy : ErrorCodes.InvalidScale,
                $"{scaled.Name} was scaled from {from} to {result.Serving} instance(s), not {scaled.Instances}: {result.Detail}. The app keeps serving from {result.Serving}.");
        }

        var verb = from == result.Serving ? "unchanged" : from < result.Serving ? "added one at a time, each after its health check" : "removed one at a time, each drained first";
        return new OperationDto(apps.ToDto(scaled), null, $"{scaled.Name}: {from} → {result.Serving} × {scaled.Flavor} ({verb})");
    }

    /// <summary>New instances of the current release replace the old ones after passing their health check.</summary>
    public async Task<OperationDto> RestartAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Restarting apps");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        if (!app.Running)
        {
            throw NuageException.Conflict(ErrorCodes.AppStopped, $"App \"{app.Name}\" is stopped; start it with 'nuage start'.");
        }

        var deployment = await deployments.ReuseAsync(caller, appName, null, DeploymentKind.Restart, cancellationToken);
        return new OperationDto(apps.ToDto(app), deployment, $"restarting {app.Name}");
    }

    public async Task<OperationDto> StopAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Stopping apps");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var stopped = app with { Running = false };
        await store.Apps.UpdateAsync(stopped, cancellationToken);
        instances.Publish(stopped, [], []);
        await instances.RetireAsync(instances.InstancesOf(app.Id), drain: true, cancellationToken);
        return new OperationDto(apps.ToDto(stopped), null, $"{app.Name} stopped");
    }

    public async Task<OperationDto> StartAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Developer, "Starting apps");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        var started = app with { Running = true };
        await store.Apps.UpdateAsync(started, cancellationToken);
        if (started.CurrentDeploymentId is null)
        {
            instances.Publish(started, [], []);
            return new OperationDto(apps.ToDto(started), null, $"{app.Name} will serve once deployed");
        }

        var deployment = await deployments.ReuseAsync(caller, appName, null, DeploymentKind.Restart, cancellationToken);
        return new OperationDto(apps.ToDto(started), deployment, $"starting {app.Name}");
    }

    public async Task<IReadOnlyList<InstanceDto>> ListInstancesAsync(Caller caller, string appName, CancellationToken cancellationToken)
    {
        caller.Require(Role.Viewer, "Listing instances");
        var app = await apps.FindAsync(caller, appName, cancellationToken);
        return [.. instances.States(app.Id).OrderBy(s => s.InstanceId, StringComparer.Ordinal).Select(s =>
        {
            var usage = instances.Usage(s.InstanceId);
            var spec = instances.Spec(s.InstanceId);
            return new InstanceDto(
                s.InstanceId, spec?.InstanceNumber ?? 0, s.Kind.ToString().ToLowerInvariant(), s.Status.ToString().ToLowerInvariant(), s.DeploymentId,
                s.Pid, s.Port, s.Restarts, s.ExitCode, s.StartedAt, usage?.CpuSeconds, usage?.MemoryBytes, usage?.MemoryLimitBytes);
        })];
    }
}
