using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.Errors;
using Nuage.Core.State;
using Nuage.Server.Deployments;
using Nuage.Server.Instances;

namespace Nuage.Server.Apps;

/// <summary>
/// Day-2 operations: scale, restart, stop, start, list instances. Changes that need new instances go through
/// a deployment of the current release, so they are health-gated and switch without downtime like a deploy.
/// </summary>
internal sealed class AppOperations(IStateStore store, AppService apps, DeploymentService deployments, AppInstances instances, Autoscale.AutoscalePolicies autoscale)
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
        var scaled = app with { Instances = request.Instances ?? app.Instances, Flavor = flavor?.Name ?? app.Flavor };
        await store.Apps.UpdateAsync(scaled, cancellationToken);
        var summary = $"{scaled.Name}: {scaled.Instances} × {scaled.Flavor}";
        return scaled.CurrentDeploymentId is null || !scaled.Running
            ? new OperationDto(apps.ToDto(scaled), null, summary + " (applies at the next deploy)")
            : new OperationDto(apps.ToDto(scaled), await deployments.ReuseAsync(caller, appName, null, DeploymentKind.Restart, cancellationToken), summary);
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
