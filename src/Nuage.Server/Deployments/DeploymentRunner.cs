using Microsoft.Extensions.Logging;
using Nuage.Core.Apps;
using Nuage.Core.Deployments;
using Nuage.Core.Errors;
using Nuage.Core.Logging;
using Nuage.Core.State;
using Nuage.Core.Variables;
using Nuage.Server.Env;

namespace Nuage.Server.Deployments;

/// <summary>
/// Carries one deployment through its stages. <see cref="ExecuteAsync"/> is the whole chain, in the order of
/// docs/architecture.md: validate → build the release (or reuse one) → start, health-check and switch → run-succeeded
/// hook → succeeded → retire the old release. Any failure stops at that stage with its reason, runs the run-failed
/// hook, stops what this deployment started, and leaves the serving release untouched.
/// </summary>
internal sealed partial class DeploymentRunner(
    IStateStore store,
    EnvService env,
    VariableValidator validator,
    ReleaseBuilder releases,
    ReleaseActivator activation,
    DeploymentHooks hooks,
    ReleaseRetirer retirement,
    DeploymentProgressHub hub,
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
            await releases.DiscardFailedAsync(run, () => KeepsFailedReleaseAsync(run));
            await run.FinishAsync(state, e.Stage, e.Message);
        }
        catch (Exception e) when (e is NuageException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // A cancelled deployment may surface as any of these (a killed build closes its streams): say cancelled.
            var cancelled = cancellationToken.IsCancellationRequested;
            await run.FinishAsync(cancelled ? DeploymentState.Cancelled : DeploymentState.Failed, run.CurrentStage ?? DeploymentStages.Validate, cancelled ? "cancelled" : e.Message);
        }
        catch (Exception e)
        {
            LogUnexpected(logger, deploymentId, e);
            await run.FinishAsync(DeploymentState.Failed, run.CurrentStage ?? DeploymentStages.Validate, "internal error: " + e.Message);
        }
        finally
        {
            if (uploadPath is not null)
            {
                File.Delete(uploadPath);
            }
        }
    }

    /// <summary>The deploy path, top to bottom.</summary>
    private async Task ExecuteAsync(DeploymentRun run, AppConfig app, string? uploadPath, CancellationToken cancellationToken)
    {
        var inputs = await ValidateAsync(run, app);
        var release = run.Record.Kind is DeploymentKind.Upload or DeploymentKind.Push
            ? await releases.BuildAsync(run, app, uploadPath!, inputs, cancellationToken)
            : await releases.ReuseAsync(run, app);
        var serving = await activation.ActivateAsync(run, app, release, inputs, cancellationToken);
        if (serving is null)
        {
            await run.FinishAsync(DeploymentState.Succeeded, null, null); // a task app: it ran to completion
            return;
        }

        if (inputs.Settings.RunSucceededHook is { } hook)
        {
            await hooks.RunAsync(run, DeploymentStages.RunSucceededHook, hook, release, inputs.Variables, failOnError: false);
        }

        // The new release serves: the deployment has succeeded. The old one retires after the client has its answer.
        await run.FinishAsync(DeploymentState.Succeeded, null, null);
        await retirement.RetireAsync(run, serving);
    }

    private Task<DeploymentInputs> ValidateAsync(DeploymentRun run, AppConfig app) =>
        run.StageAsync(DeploymentStages.Validate, async () =>
        {
            var variables = await env.ReadEffectiveAsync(app, CancellationToken.None);
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

            return new DeploymentInputs(variables, validator.ReadSettings(variables));
        });

    /// <summary>True when the app troubleshoots (<c>CC_TROUBLESHOOT</c>): its failed release is kept for inspection.</summary>
    private async Task<bool> KeepsFailedReleaseAsync(DeploymentRun run)
    {
        var app = await store.Apps.FindByIdAsync(run.Record.AppId, CancellationToken.None);
        var variables = app is null ? null : await env.ReadAsync(app, CancellationToken.None);
        return variables is not null && validator.ValidateEffective(app!.Runtime, variables).IsValid
            && validator.ReadSettings(variables).Troubleshoot;
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "Deployment {DeploymentId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string deploymentId, Exception exception);
}
