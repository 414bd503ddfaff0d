namespace Nuage.Core.Deployments;

/// <summary>The kinds of event in a deployment's progress stream (<c>GET …/deployments/{id}/events</c>).</summary>
public static class DeploymentEventTypes
{
    public const string StageStarted = "stage-started";
    public const string StageFinished = "stage-finished";
    public const string Output = "output";

    /// <summary>The last event of every stream: carries the deployment's state, failed stage and reason.</summary>
    public const string Finished = "finished";
}
