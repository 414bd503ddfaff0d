using Nuage.Build;
using Nuage.Build.Planning;
using Nuage.Build.Steps;
using Nuage.Core.Deployments;

namespace Nuage.Server.Deployments;

/// <summary>Turns build steps into deployment stages (pre-build-hook, dependencies, build, post-build-hook) as they run.</summary>
internal sealed class BuildStageObserver(DeploymentRun run) : IBuildObserver
{
    private BuildStage? _current;

    public void StepStarted(BuildStep step)
    {
        EnterStage(step);
        run.Output($"$ {step.Name}", "stdout");
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
            run.EndStage(stage, StageStates.Failed, reason);
            await run.PersistAsync();
            throw new StageFailedException(stage, reason);
        }

        if (_current is { } last)
        {
            run.EndStage(StageName(last), StageStates.Succeeded, null);
        }

        if (result.Cache != CacheOutcome.Disabled)
        {
            run.AmendStage(DeploymentStages.Dependencies, $"cache {result.Cache.ToString().ToLowerInvariant()}");
        }

        await run.PersistAsync();
    }

    private void EnterStage(BuildStep step)
    {
        if (_current == step.Stage)
        {
            return;
        }

        if (_current is { } previous)
        {
            run.EndStage(StageName(previous), StageStates.Succeeded, null);
        }

        _current = step.Stage;
        // Saved now, not at the end of the build: a server killed mid-build then records this stage as interrupted.
        run.BeginStageAndSave(StageName(step.Stage));
    }

    private static string StageName(BuildStage stage) => stage switch
    {
        BuildStage.PreBuildHook => DeploymentStages.PreBuildHook,
        BuildStage.Dependencies => DeploymentStages.Dependencies,
        BuildStage.Build => DeploymentStages.Build,
        _ => DeploymentStages.PostBuildHook,
    };
}
