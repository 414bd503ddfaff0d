using Nuage.Build;
using Nuage.Build.Detection;
using Nuage.Build.Intake;
using Nuage.Build.Planning;
using Nuage.Build.Steps;
using Nuage.Core.Apps;
using Nuage.Core.Deployments;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Core.Variables;
using Nuage.Server.Releases;

namespace Nuage.Server.Deployments;

/// <summary>
/// Step 1 of the deploy path: turns an upload into an immutable release (unpack → detect → pre-build-hook →
/// dependencies → build → post-build-hook), or finds the built release a redeploy, rollback or restart reuses.
/// </summary>
internal sealed class ReleaseBuilder(
    IStateStore store,
    NuagePaths paths,
    ReleaseUnpacker unpacker,
    BuildPlanner planner,
    BuildRunner builder,
    DeploymentHooks hooks,
    InstanceSpecFactory specs,
    DeploymentOptions options)
{
    public async Task<Release> BuildAsync(DeploymentRun run, AppConfig app, string uploadPath, DeploymentInputs inputs, CancellationToken cancellationToken)
    {
        var release = paths.Release(app.Id, run.Record.Id);
        await run.StageAsync(DeploymentStages.Unpack, async () =>
        {
            await using var upload = File.OpenRead(uploadPath);
            var unpacked = await unpacker.UnpackAsync(upload, release, cancellationToken);
            if (run.Record.CommitId is null && unpacked.CommitId is not null)
            {
                await run.UpdateAsync(r => r with { CommitId = unpacked.CommitId });
            }

            return $"{unpacked.Entries} entries, {unpacked.ExpandedBytes / 1024.0:0.#} KiB";
        });

        var buildSettings = ToBuildSettings(inputs.Settings);
        var plan = await run.StageAsync(DeploymentStages.Detect, async () =>
        {
            var detected = await RuntimeDetector.DetectAsync(release, app.Runtime, buildSettings, cancellationToken);
            var planned = planner.Plan(detected, buildSettings);
            run.SetDetail($"{planned.Runtime} ({string.Join(", ", detected.Markers)})");
            return planned;
        });

        var observer = new BuildStageObserver(run);
        var result = await builder.RunAsync(
            plan,
            new BuildContext
            {
                Environment = specs.BuildEnvironment(app, run.Record, plan.AppRoot, inputs.Variables),
                CacheDirectory = inputs.Settings.CacheDependencies ? paths.Cache(app.Id) : null,
                // Not the whole cache: the build runner hands the steps only its tool folders (the rest stays root's).
                Sandbox = hooks.Sandbox(app, run.Record.Id, release, releaseWritable: true, []),
            },
            observer,
            cancellationToken);
        await observer.CompleteAsync(result, cancellationToken);
        await run.UpdateAsync(r => r with { ReleaseBuilt = true, StartPlan = StartPlanJson.Write(plan.Start) });
        return new Release(release, plan.Start);
    }

    public async Task<Release> ReuseAsync(DeploymentRun run, AppConfig app)
    {
        var source = await store.Deployments.FindAsync(run.Record.SourceDeploymentId ?? string.Empty, CancellationToken.None);
        var release = source is null ? null : paths.Release(app.Id, source.Id);
        if (source is not { ReleaseBuilt: true, StartPlan: not null } || !Directory.Exists(release))
        {
            throw new StageFailedException(DeploymentStages.Validate, $"release {run.Record.SourceDeploymentId} is not available any more (only the last {options.KeepReleases} built releases are kept)");
        }

        await run.UpdateAsync(r => r with { CommitId = source.CommitId, CommitMessage = source.CommitMessage, ReleaseBuilt = true, StartPlan = source.StartPlan });
        return new Release(release!, StartPlanJson.Read(source.StartPlan));
    }

    /// <summary>A failed build's release is removed at once, unless the app troubleshoots (then its path is printed).</summary>
    public async Task DiscardFailedAsync(DeploymentRun run, Func<Task<bool>> troubleshooting)
    {
        var release = paths.Release(run.Record.AppId, run.Record.Id);
        if (!Directory.Exists(release) || run.Record.Kind is not (DeploymentKind.Upload or DeploymentKind.Push))
        {
            return;
        }

        if (await troubleshooting())
        {
            run.Output($"{KnownVariables.Troubleshoot.Name}: the failed release is kept at {release}", "stderr");
        }
        else
        {
            Directory.Delete(release, recursive: true);
        }
    }

    private static BuildSettings ToBuildSettings(AppSettings s) => new()
    {
        AppFolder = s.AppFolder == "." ? null : s.AppFolder,
        PreBuildHook = s.PreBuildHook,
        PostBuildHook = s.PostBuildHook,
        BuildCommand = s.BuildCommand,
        WebRoot = s.WebRoot,
        SpaFallback = s.StaticSpaFallback,
        RunCommand = s.RunCommand,
        NodeBuildTool = s.NodeBuildTool,
        CustomBuildTool = s.CustomBuildTool,
        NodeDevDependencies = s.NodeDevDependencies == DevDependencies.Install,
        CacheDependencies = s.CacheDependencies,
        PipRequirementsFile = s.PipRequirementsFile,
        PythonModule = s.PythonModule,
        PhpVersion = s.PhpVersion,
        DotnetProj = s.DotnetProject,
        DotnetProfile = s.DotnetProfile,
        DotnetTfm = s.DotnetTfm,
        GoPackage = s.GoPackage,
        DisableGitSubmodules = s.DisableGitSubmodules,
    };
}
