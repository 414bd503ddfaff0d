using System.Globalization;
using Nuage.Build;
using Nuage.Build.Detection;
using Nuage.Build.Planning;
using Nuage.Build.Steps;
using Nuage.Core.Apps;
using Nuage.Core.Logging;
using Nuage.Core.Sandboxing;
using Nuage.Core.State;
using Nuage.Core.Variables;
using Nuage.Runtime.Sandboxing;
using Nuage.Server.Releases;

namespace Nuage.Server.Deployments;

internal sealed partial class DeploymentRunner
{
    private async Task<(string Release, StartPlan Plan)> BuildReleaseAsync(
        DeploymentRun run, AppConfig app, string uploadPath, AppSettings settings, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        var release = paths.Release(app.Id, run.Record.Id);
        await run.StageAsync("unpack", async () =>
        {
            await using var upload = File.OpenRead(uploadPath);
            var unpacked = await unpacker.UnpackAsync(upload, release, cancellationToken);
            if (run.Record.CommitId is null && unpacked.CommitId is not null)
            {
                await run.UpdateAsync(r => r with { CommitId = unpacked.CommitId });
            }

            return $"{unpacked.Entries} entries, {unpacked.ExpandedBytes / 1024.0:0.#} KiB";
        });

        var buildSettings = ToBuildSettings(settings);
        var plan = await run.StageAsync("detect", async () =>
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
                Environment = specs.BuildEnvironment(app, run.Record, plan.AppRoot, variables),
                CacheDirectory = settings.CacheDependencies ? paths.Cache(app.Id) : null,
                // Not the whole cache: the build runner hands the steps only its tool folders (the rest stays root's).
                Sandbox = StepSandbox(app, run.Record.Id, release, releaseWritable: true, []),
            },
            observer,
            cancellationToken);
        await observer.CompleteAsync(result, cancellationToken);
        await run.UpdateAsync(r => r with { ReleaseBuilt = true, StartPlan = StartPlanJson.Write(plan.Start) });
        return (release, plan.Start);
    }

    private static BuildSettings ToBuildSettings(AppSettings s) => new()
    {
        AppFolder = s.AppFolder == "." ? null : s.AppFolder,
        PreBuildHook = s.PreBuildHook,
        PostBuildHook = s.PostBuildHook,
        BuildCommand = s.BuildCommand,
        WebRoot = s.WebRoot,
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

    /// <summary>Runs a run-time hook (run-succeeded, run-failed) in the release, as its own stage.</summary>
    private async Task RunHookAsync(
        DeploymentRun run, string stage, string command, string releaseDirectory, StartPlan plan, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken, bool failOnError = true)
    {
        var step = new BuildStep(stage, BuildStage.PostBuildHook, command, plan.WorkingDirectory);
        try
        {
            await run.StageAsync(stage, async () =>
            {
                var app = await store.Apps.FindByIdAsync(run.Record.AppId, CancellationToken.None)
                    ?? throw new Core.Errors.NuageException(Core.Errors.ErrorKind.NotFound, "app_not_found", "The app was deleted before its hook ran.");
                var sandbox = StepSandbox(app, $"{run.Record.Id}-{stage}", releaseDirectory, releaseWritable: false, [paths.Data(app.Id)]);
                var env = specs.HookEnvironment(app, run.Record, stage, plan, variables);
                var result = await steps.RunAsync(new StepLaunch(step, env, []), sandbox, line => run.Output(line.Text, line.Stream), cancellationToken);
                return result.Succeeded
                    ? $"exit code 0"
                    : throw new Core.Errors.NuageException(Core.Errors.ErrorKind.Failed, "hook_failed", result.Reason is null
                        ? $"{stage} exited with code {result.ExitCode}"
                        : $"{stage} exited with code {result.ExitCode}: {result.Reason}");
            });
        }
        catch (StageFailedException) when (!failOnError)
        {
            // A failing run-failed hook is recorded as its own stage; the deployment's reason stays the original one.
        }
    }

    /// <summary>The app's build sandbox (its uid when the server is root; plain bash with --insecure-no-sandbox).</summary>
    private IStepSandbox StepSandbox(AppConfig app, string name, string release, bool releaseWritable, IReadOnlyList<string> writable) =>
        scheduler.CreateBuildSandbox(new BuildSandboxSpec
        {
            AppId = app.Id,
            Name = name,
            Uid = scheduler.RequiresUid ? AppUserIds.ForIndex(app.UidIndex) : null,
            ReleaseDirectory = release,
            ReleaseWritable = releaseWritable,
            WritableDirectories = writable,
        });

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

    /// <summary>Turns build steps into deployment stages (pre-build-hook, dependencies, build, post-build-hook) as they run.</summary>
    private sealed class BuildStageObserver(DeploymentRun run) : IBuildObserver
    {
        private BuildStage? _current;

        public void StepStarted(BuildStep step)
        {
            EnterStage(step);
            run.Output($"$ {step.Name}", "stdout");
        }

        private void EnterStage(BuildStep step)
        {
            if (_current != step.Stage)
            {
                if (_current is { } previous)
                {
                    run.EndStage(StageName(previous), "succeeded", null);
                }

                _current = step.Stage;
                run.BeginStage(StageName(step.Stage));
            }
        }

        public void StepOutput(BuildStep step, OutputLine line) => run.Output(line.Text, line.Stream);

        public void StepFinished(StepResult result)
        {
            if (result.Skipped)
            {
                EnterStage(result.Step);
                run.Output($"{result.Step.Name}: restored from the dependency cache", "stdout");
            }
        }

        public void Message(string text) => run.Output(text, "stdout");

        public async Task CompleteAsync(BuildResult result, CancellationToken cancellationToken)
        {
            if (result.Failure is { } failure)
            {
                var stage = StageName(failure.Step.Stage);
                var reason = cancellationToken.IsCancellationRequested ? "cancelled" : failure.Describe();
                run.EndStage(stage, "failed", reason);
                await run.PersistAsync();
                throw new StageFailedException(stage, reason);
            }

            if (_current is { } last)
            {
                run.EndStage(StageName(last), "succeeded", null);
            }

            if (result.Cache != CacheOutcome.Disabled)
            {
                run.AmendStage(StageName(BuildStage.Dependencies), $"cache {result.Cache.ToString().ToLowerInvariant()}");
            }

            await run.PersistAsync();
        }

        private static string StageName(BuildStage stage) => stage switch
        {
            BuildStage.PreBuildHook => "pre-build-hook",
            BuildStage.Dependencies => "dependencies",
            BuildStage.Build => "build",
            _ => "post-build-hook",
        };
    }
}
