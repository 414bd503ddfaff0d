using System.Diagnostics;
using System.Diagnostics.Metrics;
using Nuage.Core.State;

namespace Nuage.Server.Deployments;

/// <summary>
/// Deployment metrics (meter <c>Nuage.Deployments</c>: <c>nuage.deployments</c> by app and outcome) and traces
/// (ActivitySource <c>Nuage.Deployments</c>: one span per deployment, a child span per stage).
/// </summary>
internal sealed class DeploymentTelemetry : IDisposable
{
    public const string Name = "Nuage.Deployments";

    private readonly ActivitySource _source = new(Name);
    private readonly Meter _meter;
    private readonly Counter<long> _finished;

    public DeploymentTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _finished = _meter.CreateCounter<long>("nuage.deployments", "{deployment}", "Deployments finished, by app and outcome (succeeded, failed, cancelled).");
    }

    public Activity? StartDeployment(DeploymentRecord record)
    {
        // A new trace: not a child of whatever request happened to queue the deployment.
        var activity = Detached(() => _source.StartActivity("deploy", ActivityKind.Internal, parentContext: default));
        activity?.SetTag("nuage.app.id", record.AppId);
        activity?.SetTag("nuage.deployment.id", record.Id);
        activity?.SetTag("nuage.deployment.kind", record.Kind.ToString().ToLowerInvariant());
        return activity;
    }

    public Activity? StartStage(Activity? deployment, string stage)
    {
        var activity = Detached(() => _source.StartActivity("deploy." + stage, ActivityKind.Internal, deployment?.Context ?? default));
        activity?.SetTag("nuage.stage", stage);
        return activity;
    }

    public static void EndStage(Activity? stage, string state, string? detail)
    {
        if (stage is null)
        {
            return;
        }

        stage.SetTag("nuage.stage.state", state);
        stage.SetStatus(state == "failed" ? ActivityStatusCode.Error : ActivityStatusCode.Ok, state == "failed" ? detail : null);
        stage.Stop();
    }

    public void Finished(DeploymentRecord record, Activity? deployment)
    {
        var outcome = record.State.ToString().ToLowerInvariant();
        _finished.Add(1, new("app", record.AppId), new("outcome", outcome));
        if (deployment is not null)
        {
            deployment.SetTag("nuage.deployment.outcome", outcome);
            if (record.FailedStage is { } failed)
            {
                deployment.SetTag("nuage.deployment.failed_stage", failed);
            }

            deployment.SetStatus(record.State == DeploymentState.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, record.FailureReason);
            deployment.Stop();
        }
    }

    /// <summary>Starts a span without an ambient parent and without making it ambient (spans are passed explicitly).</summary>
    private static Activity? Detached(Func<Activity?> start)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            return start();
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        _meter.Dispose();
    }
}
