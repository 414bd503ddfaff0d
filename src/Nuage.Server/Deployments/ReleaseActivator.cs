using Nuage.Core.Apps;
using Nuage.Core.Deployments;
using Nuage.Core.Errors;
using Nuage.Core.Instances;
using Nuage.Core.State;
using Nuage.Router;
using Nuage.Server.Instances;
using Nuage.Server.Releases;

namespace Nuage.Server.Deployments;

/// <summary>
/// Step 2 of the deploy path: runs the Procfile's release phase, starts the release's instances, waits for their
/// health check and switches the router to them (a task app instead runs to completion). On failure it stops what it
/// started and runs the run-failed hook; the release that served before keeps serving.
/// </summary>
internal sealed class ReleaseActivator(IStateStore store, InstanceSpecFactory specs, AppInstances instances, DeploymentHooks hooks)
{
    /// <summary>Returns the app as it serves now, or null for a task app (which does not serve).</summary>
    public async Task<AppConfig?> ActivateAsync(DeploymentRun run, AppConfig app, Release release, DeploymentInputs inputs, CancellationToken cancellationToken)
    {
        if (release.Plan.ReleaseCommand is { } releasePhase && run.Record.Kind is not DeploymentKind.Restart)
        {
            // Heroku's release phase (migrations, asset uploads): once per new release, before any instance of it
            // starts; a failure fails the deployment and the running release keeps serving. A restart is no new release.
            await hooks.RunAsync(run, DeploymentStages.Release, releasePhase, release, inputs.Variables, failOnError: true);
        }

        var started = new List<string>();
        try
        {
            var set = specs.Create(app, run.Record, release.Directory, release.Plan, inputs.Settings, inputs.Variables);
            started.AddRange(set.Select(s => s.InstanceId));
            var site = inputs.Settings.IsTask ? null : StaticServing.For(run.Record.Id, release.Directory, release.Plan);
            await run.StageAsync(DeploymentStages.Start, async () =>
            {
                await instances.StartAsync(set, cancellationToken);
                return site is null ? $"{set.Count} instance(s)" : $"served by the router from the release, {set.Count} worker(s)";
            });

            if (inputs.Settings.IsTask)
            {
                await RunTaskAsync(run, set, cancellationToken);
                await MakeCurrentAsync(app, run.Record.Id);
                return null;
            }

            var endpoints = AppInstances.Endpoints(set);
            await run.StageAsync(DeploymentStages.HealthCheck, async () =>
            {
                var (healthy, detail) = site is null
                    ? await instances.WaitHealthyAsync(endpoints, inputs.Settings.HealthCheckPaths, cancellationToken)
                    : NuageRouter.CheckStaticSite(site, inputs.Settings.HealthCheckPaths);
                return healthy ? detail : throw new NuageException(ErrorKind.Failed, "unhealthy", detail);
            });

            var serving = await run.StageAsync(DeploymentStages.Switch, async () =>
            {
                var switched = await MakeCurrentAsync(app, run.Record.Id);
                instances.Publish(switched, endpoints, inputs.Settings.HealthCheckPaths, site);
                run.SetDetail(site is null ? $"serving {endpoints.Count} instance(s)" : "serving the release's files");
                return switched;
            });
            started.Clear();
            return serving;
        }
        catch (StageFailedException) when (started.Count > 0)
        {
            await instances.RetireAsync(started, drain: false, CancellationToken.None);
            if (inputs.Settings.RunFailedHook is { } hook)
            {
                // A failing run-failed hook is recorded as its own stage; the deployment's reason stays the original one.
                await hooks.RunAsync(run, DeploymentStages.RunFailedHook, hook, release, inputs.Variables, failOnError: false);
            }

            throw;
        }
    }

    private async Task RunTaskAsync(DeploymentRun run, IReadOnlyList<InstanceSpec> set, CancellationToken cancellationToken) =>
        await run.StageAsync(DeploymentStages.Task, async () =>
        {
            var exits = await Task.WhenAll(set.Select(s => instances.WaitForExitAsync(s.InstanceId, cancellationToken)));
            var failed = exits.Where(e => e.ExitCode != 0).ToList();
            return failed.Count == 0
                ? "task exited with code 0"
                : throw new NuageException(ErrorKind.Failed, "task_failed", $"task exited with code {failed[0].ExitCode}");
        });

    private async Task<AppConfig> MakeCurrentAsync(AppConfig app, string deploymentId)
    {
        var current = await store.Apps.FindByIdAsync(app.Id, CancellationToken.None) ?? app;
        var switched = current with { CurrentDeploymentId = deploymentId };
        await store.Apps.UpdateAsync(switched, CancellationToken.None);
        return switched;
    }
}
