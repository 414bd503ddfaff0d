namespace Nuage.Core.Deployments;

/// <summary>The outcome of one stage, as persisted in a deployment record and streamed in its events.</summary>
public static class StageStates
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";
}
