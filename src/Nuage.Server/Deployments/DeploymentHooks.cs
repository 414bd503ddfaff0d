using Nuage.Build;
using Nuage.Build.Planning;
using Nuage.Build.Steps;
using Nuage.Core.Apps;
using Nuage.Core.Errors;
using Nuage.Core.Paths;
using Nuage.Core.Sandboxing;
using Nuage.Core.Scheduling;
using Nuage.Core.State;
using Nuage.Runtime.Sandboxing;
using Nuage.Server.Releases;

namespace Nuage.Server.Deployments;

/// <summary>
/// Where a deployment runs code of the app outside its instances: the build sandbox (the app's uid when the server is
/// root; plain bash with --insecure-no-sandbox) and the run-time hooks (run-succeeded, run-failed), each as its own stage.
/// </summary>
internal sealed class DeploymentHooks(IStateStore store, NuagePaths paths, StepRunner steps, IInstanceScheduler scheduler, InstanceSpecFactory specs)
{
    /// <summary>Runs a run-time hook in the release; with <paramref name="failOnError"/> false a failure is only recorded on its stage.</summary>
    public async Task RunAsync(DeploymentRun run, string stage, string command, Release release, IReadOnlyDictionary<string, string> variables, bool failOnError)
    {
        var step = new BuildStep(stage, BuildStage.PostBuildHook, command, release.Plan.WorkingDirectory);
        try
        {
            await run.StageAsync(stage, async () =>
            {
                var app = await store.Apps.FindByIdAsync(run.Record.AppId, CancellationToken.None)
                    ?? throw new NuageException(ErrorKind.NotFound, ErrorCodes.AppNotFound, "The app was deleted before its hook ran.");
                var sandbox = Sandbox(app, $"{run.Record.Id}-{stage}", release.Directory, releaseWritable: false, [paths.Data(app.Id)]);
                var env = specs.HookEnvironment(app, run.Record, stage, release.Plan, variables);
                var result = await steps.RunAsync(new StepLaunch(step, env, []), sandbox, line => run.Output(line.Text, line.Stream), CancellationToken.None);
                return result.Succeeded
                    ? "exit code 0"
                    : throw new NuageException(ErrorKind.Failed, ErrorCodes.HookFailed, result.Reason is null
                        ? $"{stage} exited with code {result.ExitCode}"
                        : $"{stage} exited with code {result.ExitCode}: {result.Reason}");
            });
        }
        catch (StageFailedException) when (!failOnError)
        {
            // Recorded as its own stage; the deployment's outcome does not change.
        }
    }

    /// <summary>The app's build sandbox for one step or hook.</summary>
    public IStepSandbox Sandbox(AppConfig app, string name, string release, bool releaseWritable, IReadOnlyList<string> writable) =>
        scheduler.CreateBuildSandbox(new BuildSandboxSpec
        {
            AppId = app.Id,
            Name = name,
            Uid = scheduler.RequiresUid ? AppUserIds.ForIndex(app.UidIndex) : null,
            ReleaseDirectory = release,
            ReleaseWritable = releaseWritable,
            WritableDirectories = writable,
        });
}
