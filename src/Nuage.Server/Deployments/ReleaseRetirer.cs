using Nuage.Core.Apps;
using Nuage.Core.Deployments;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Server.Instances;

namespace Nuage.Server.Deployments;

/// <summary>
/// Step 3 of the deploy path, after the switch: stops the instances of the release that served before (SIGTERM when
/// draining starts, SIGKILL after the drain timeout) and prunes old release directories. It runs after the deployment
/// has been reported succeeded; the retire stage is still recorded on the deployment.
/// </summary>
internal sealed class ReleaseRetirer(IStateStore store, NuagePaths paths, AppInstances instances, DeploymentOptions options)
{
    public async Task RetireAsync(DeploymentRun run, AppConfig serving)
    {
        try
        {
            await run.StageAsync(DeploymentStages.Retire, async () =>
            {
                var old = instances.InstancesOf(serving.Id, exceptDeploymentId: run.Record.Id);
                await Task.WhenAll(instances.RetireAsync(old, drain: true, CancellationToken.None), instances.DrainReplacedSitesAsync(serving.Id, CancellationToken.None));
                var pruned = await PruneReleasesAsync(serving);
                return $"{old.Count} old instance(s) stopped, {pruned} old release(s) removed";
            });
        }
        catch (StageFailedException)
        {
            // Recorded on its stage; the new release serves, so the deployment stands.
        }
    }

    /// <summary>Keeps the newest built releases (and the serving one); removes older release directories.</summary>
    private async Task<int> PruneReleasesAsync(AppConfig app)
    {
        var recent = await store.Deployments.ListAsync(app.Id, null, 200, CancellationToken.None);
        var keep = recent.Where(d => d.ReleaseBuilt && d.State != DeploymentState.Failed && d.Kind is DeploymentKind.Upload or DeploymentKind.Push)
            .Take(options.KeepReleases).Select(d => d.Id).Append(app.CurrentDeploymentId)
            .Concat(recent.Where(d => d.State == DeploymentState.Failed).Select(d => d.Id))
            .Concat(recent.Where(d => d.Id == app.CurrentDeploymentId).Select(d => d.SourceDeploymentId))
            .Where(id => id is not null).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        var root = paths.Releases(app.Id);
        foreach (var dir in Directory.Exists(root) ? Directory.GetDirectories(root) : [])
        {
            var id = Path.GetFileName(dir);
            if (!keep.Contains(id) && instances.InstancesOf(app.Id).All(i => instances.Spec(i)?.ReleaseDirectory != dir))
            {
                Directory.Delete(dir, recursive: true);
                removed++;
            }
        }

        return removed;
    }
}
