using Nuage.Build.Planning;
using Nuage.Core.Apps;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Router;

namespace Nuage.Server.Releases;

/// <summary>
/// Static sites are served by the router itself, from the release directory (no instance process, no port): this
/// turns a release's start plan into the router's <see cref="StaticSiteConfig"/>, at a deploy and after a restart.
/// </summary>
internal sealed class StaticServing(IStateStore store, NuagePaths paths)
{
    /// <summary>Suffix of a static serving's id (<c>&lt;deployment&gt;-static</c>): access logs name it, drains use it.</summary>
    public const string ServingSuffix = "-static";

    public static bool IsServedByRouter(StartPlan plan) => plan.Kind == StartKind.Static;

    /// <summary>The site of a release whose plan is static; null for any other plan.</summary>
    public static StaticSiteConfig? For(string deploymentId, string releaseDirectory, StartPlan plan)
    {
        if (!IsServedByRouter(plan) || plan.StaticRoot is not { } root)
        {
            return null;
        }

        var webRoot = Path.GetRelativePath(releaseDirectory, root);
        return new StaticSiteConfig(deploymentId + ServingSuffix, releaseDirectory, webRoot == "." ? string.Empty : webRoot)
        {
            SpaFallback = plan.SpaFallback,
        };
    }

    /// <summary>The site the app's current release serves, when it is static (read from the deployment's saved plan).</summary>
    public async Task<StaticSiteConfig?> CurrentAsync(AppConfig app, CancellationToken cancellationToken)
    {
        if (app.CurrentDeploymentId is not { } current
            || await store.Deployments.FindAsync(current, cancellationToken) is not { StartPlan: { } json })
        {
            return null;
        }

        return For(current, paths.Release(app.Id, current), StartPlanJson.Read(json));
    }
}
