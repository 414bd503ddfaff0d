using Nuage.Core.State;

namespace Nuage.Core.Deployments;

/// <summary>A deployment's state as the API, the CLI and MCP spell it (the lower-case <see cref="DeploymentState"/> name).</summary>
public static class DeploymentStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static string Name(DeploymentState state) => state switch
    {
        DeploymentState.Queued => Queued,
        DeploymentState.Running => Running,
        DeploymentState.Succeeded => Succeeded,
        DeploymentState.Failed => Failed,
        _ => Cancelled,
    };

    /// <summary>True once the deployment can no longer change state.</summary>
    public static bool IsFinished(string? state) => state is Succeeded or Failed or Cancelled;
}
