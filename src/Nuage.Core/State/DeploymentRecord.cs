namespace Nuage.Core.State;

/// <summary>Lifecycle of a deployment. Persisted by name: do not rename members.</summary>
public enum DeploymentState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>How a deployment was asked for. Persisted by name: do not rename members.</summary>
public enum DeploymentKind
{
    Upload,
    Push,
    Redeploy,
    Rollback,
    Restart,
}

/// <summary>One stage's record: name, outcome and timing.</summary>
/// <param name="Seq">Number of the stage-finished event in the deployment's progress stream (null for records written
/// before event numbers were persisted): a client resuming after a server restart sees the same number again.</param>
public sealed record StageRecord(string Name, string State, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Detail, long? Seq = null);

/// <summary>A deployment as stored: what was asked, how far it went, why it failed.</summary>
public sealed record DeploymentRecord
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required DeploymentKind Kind { get; init; }

    public required DeploymentState State { get; init; }

    public string? CommitId { get; init; }

    public string? CommitMessage { get; init; }

    /// <summary>For redeploys and rollbacks: the deployment whose release is reused.</summary>
    public string? SourceDeploymentId { get; init; }

    /// <summary>True once the release directory holds a complete build (it may then be rolled back to).</summary>
    public bool ReleaseBuilt { get; init; }

    /// <summary>The start plan of the built release, as JSON (owned by the orchestrator).</summary>
    public string? StartPlan { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string? FailedStage { get; init; }

    public string? FailureReason { get; init; }

    public IReadOnlyList<StageRecord> Stages { get; init; } = [];
}
