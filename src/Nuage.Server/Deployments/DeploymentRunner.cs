using Microsoft.Extensions.Logging;
using Nuage.Build.Intake;
using Nuage.Build.Planning;
using Nuage.Build.Steps;
using Nuage.Core.Apps;
using Nuage.Core.Errors;
using Nuage.Core.Logging;
using Nuage.Core.Paths;
using Nuage.Core.State;
using Nuage.Core.Variables;
using Nuage.Server.Env;
using Nuage.Server.Instances;
using Nuage.Server.Releases;

using Nuage.Core.Scheduling;

namespace Nuage.Server.Deployments;

/// <summary>
/// Carries one deployment through its stages: validate → unpack → detect → hooks and build → start → health check
/// → switch → run-succeeded hook → retire. Any failure stops at that stage with its reason, runs the run-failed
/// hook, stops what this deployment started, and leaves the serving release untouched.
/// </summary>
internal sealed partial class DeploymentRunner(
    IStateStore store,
    NuagePaths paths,
    EnvService env,
    VariableValidator validator,
    ReleaseUnpacker unpacker,
    BuildPlanner planner,
    BuildRunner builder,
    StepRunner steps,
    InstanceSpecFactory specs,
    AppInstances instances,
    IInstanceScheduler scheduler,
    DeploymentProgressHub hub,
    DeploymentOptions options,
    ILogSink logs,
    TimeProvider time,
    DeploymentTelemetry telemetry,
    ILogger<DeploymentRunner> logger)
{
    /// <summary>Runs the deployment to its end; never throws for a deployment failure (the record says why).</summary>
    public async Task RunAsync(string deploymentId, string? uploadPath, CancellationToken cancellationToken)
    {
        var record = await store.Deployments.FindAsync(deploymentId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Deployment {deploymentId} vanished before it ran.");
        var run = new DeploymentRun(record, hub.Open(deploymentId), store, logs, time, telemetry);
        try
        {
            if (cancellationToken.IsCancellationRequested)
            {
                await run.FinishAsync(DeploymentState.Cancelled, null, "cancelled before it started (a newer deployment replaced it)");
                return;
            }

            var app = await store.Apps.FindByIdAsync(record.AppId, CancellationToken.None)
                ?? throw new NuageException(ErrorKind.NotFound, "app_not_found", "The app was deleted before its deployment ran.");
            await run.StartAsync();
            await ExecuteAsync(run, app, uploadPath, cancellationToken);
        }
        catch (StageFailedException e)
        {
            var state = cancellationToken.IsCancellationRequested ? DeploymentState.Cancelled : DeploymentState.Failed;
            await DiscardFailedReleaseAsync(run);
            await run.FinishAsync(state, e.Stage, e.Message);
        }
        catch (Exception e) when (e is NuageException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // A cancelled deployment may surface as any of these (a killed build closes its streams): say cancelled.
            var cancelled = cancellationToken.IsCancellationRequested;
            await run.FinishAsync(cancelled ? DeploymentState.Cancelled : DeploymentState.Failed, run.CurrentStage ?? "validate", cancelled ? "cancelled" : e.Message);
        }
        catch (Exception e)
        {
            LogUnexpected(logger, deploymentId, e);
            await run.FinishAsync(DeploymentState.Failed, run.CurrentStage ?? "validate", "internal error: " + e.Message);
        }
        finally
        {
            if (uploadPath is not null)
            {
                File.Delete(uploadPath);
            }
        }
    }

    private async Task ExecuteAsync(DeploymentRun run, AppConfig app, string? uploadPath, CancellationToken cancellationToken)
    {
        var userEnv = await run.StageAsync("validate", async () =>
        {
            var variables = await env.ReadAsync(app, CancellationToken.None);
            var validation = validator.ValidateEffective(app.Runtime, variables);
            foreach (var warning in validation.WarningLines)
            {
                run.Output("warning: " + warning, "stderr");
            }

            if (!validation.IsValid)
            {
                foreach (var line in validation.ErrorLines)
                {
                    run.Output(line, "stderr");
                }

                throw new NuageException(ErrorKind.Invalid, "invalid_variable", $"{validation.Errors.Count} invalid variable(s): {string.Join("; ", validation.ErrorLines)}");
            }

            return (variables, validator.ReadSettings(variables));
        });
        var (variables, settings) = userEnv;

        var (releaseDirectory, plan) = run.Record.Kind is DeploymentKind.Upload or DeploymentKind.Push
            ? await BuildReleaseAsync(run, app, uploadPath!, settings, variables, cancellationToken)
            : await ReuseReleaseAsync(run, app);

        await ActivateAsync(run, app, releaseDirectory, plan, settings, variables, cancellationToken);
    }

    private async Task<(string Release, StartPlan Plan)> ReuseReleaseAsync(DeploymentRun run, AppConfig app)
    {
        var source = await store.Deployments.FindAsync(run.Record.SourceDeploymentId ?? string.Empty, CancellationToken.None);
        var release = source is null ? null : paths.Release(app.Id, source.Id);
        if (source is not { ReleaseBuilt: true, StartPlan: not null } || !Directory.Exists(release))
        {
            throw new StageFailedException("validate", $"release {run.Record.SourceDeploymentId} is not available any more (only the last {options.KeepReleases} built releases are kept)");
        }

        await run.UpdateAsync(r => r with { CommitId = source.CommitId, CommitMessage = source.CommitMessage, ReleaseBuilt = true, StartPlan = source.StartPlan });
        return (release!, StartPlanJson.Read(source.StartPlan));
    }

    private async Task ActivateAsync(
        DeploymentRun run, AppConfig app, string releaseDirectory, StartPlan plan, AppSettings settings, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        var started = new List<string>();
        try
        {
            var set = specs.Create(app, run.Record, releaseDirectory, plan, settings, variables);
            started.AddRange(set.Select(s => s.InstanceId));
            await run.StageAsync("start", async () =>
            {
                await instances.StartAsync(set, cancellationToken);
                return $"{set.Count} instance(s)";
            });

            if (settings.IsTask)
            {
                await RunTaskAsync(run, app, set, cancellationToken);
                return;
            }

            var endpoints = AppInstances.Endpoints(set);
            await run.StageAsync("health-check", async () =>
            {
                var (healthy, detail) = await instances.WaitHealthyAsync(endpoints, settings.HealthCheckPaths, cancellationToken);
                return healthy ? detail : throw new NuageException(ErrorKind.Failed, "unhealthy", detail);
            });

            var current = await store.Apps.FindByIdAsync(app.Id, CancellationToken.None) ?? app;
            var switched = current with { CurrentDeploymentId = run.Record.Id };
            await run.StageAsync("switch", async () =>
            {
                await store.Apps.UpdateAsync(switched, CancellationToken.None);
                instances.Publish(switched, endpoints, settings.HealthCheckPaths);
                return $"serving {endpoints.Count} instance(s)";
            });
            started.Clear();
            await run.FinishAfterSwitchAsync(async () =>
            {
                if (settings.RunSucceededHook is { } hook)
                {
                    await RunHookAsync(run, "run-succeeded-hook", hook, releaseDirectory, plan, variables, CancellationToken.None);
                }

                await run.StageAsync("retire", async () =>
                {
                    var old = instances.InstancesOf(app.Id, exceptDeploymentId: run.Record.Id);
                    await instances.RetireAsync(old, drain: true, CancellationToken.None);
                    var pruned = await PruneReleasesAsync(switched);
                    return $"{old.Count} old instance(s) stopped, {pruned} old release(s) removed";
                });
            });
        }
        catch (StageFailedException) when (started.Count > 0)
        {
            await instances.RetireAsync(started, drain: false, CancellationToken.None);
            if (settings.RunFailedHook is { } hook)
            {
                await RunHookAsync(run, "run-failed-hook", hook, releaseDirectory, plan, variables, CancellationToken.None, failOnError: false);
            }

            throw;
        }
    }

    private async Task RunTaskAsync(DeploymentRun run, AppConfig app, IReadOnlyList<Core.Instances.InstanceSpec> set, CancellationToken cancellationToken)
    {
        await run.StageAsync("task", async () =>
        {
            var exits = await Task.WhenAll(set.Select(s => instances.WaitForExitAsync(s.InstanceId, cancellationToken)));
            var failed = exits.Where(e => e.ExitCode != 0).ToList();
            return failed.Count == 0
                ? $"task exited with code 0"
                : throw new NuageException(ErrorKind.Failed, "task_failed", $"task exited with code {failed[0].ExitCode}");
        });
        var current = await store.Apps.FindByIdAsync(app.Id, CancellationToken.None) ?? app;
        await store.Apps.UpdateAsync(current with { CurrentDeploymentId = run.Record.Id }, CancellationToken.None);
        await run.FinishAsync(DeploymentState.Succeeded, null, null);
    }

    /// <summary>A failed build's release is removed at once, unless the app troubleshoots (then its path is printed).</summary>
    private async Task DiscardFailedReleaseAsync(DeploymentRun run)
    {
        var release = paths.Release(run.Record.AppId, run.Record.Id);
        if (!Directory.Exists(release) || run.Record.Kind is not (DeploymentKind.Upload or DeploymentKind.Push))
        {
            return;
        }

        var app = await store.Apps.FindByIdAsync(run.Record.AppId, CancellationToken.None);
        var variables = app is null ? null : await env.ReadAsync(app, CancellationToken.None);
        var troubleshoot = variables is not null && validator.ValidateEffective(app!.Runtime, variables).IsValid
            && validator.ReadSettings(variables).Troubleshoot;
        if (troubleshoot)
        {
            run.Output($"{KnownVariables.Troubleshoot.Name}: the failed release is kept at {release}", "stderr");
        }
        else
        {
            Directory.Delete(release, recursive: true);
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "Deployment {DeploymentId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string deploymentId, Exception exception);
}
