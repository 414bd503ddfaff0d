namespace Nuage.Core.Api;

/// <summary>A deployment as the API shows it: state, commit, and every stage with its timing.</summary>
public sealed record DeploymentDto
{
    public required string Id { get; init; }

    public required string App { get; init; }

    /// <summary>queued | running | succeeded | failed | cancelled (<see cref="Deployments.DeploymentStates"/>)</summary>
    public required string State { get; init; }

    /// <summary>upload | redeploy | rollback | push</summary>
    public required string Kind { get; init; }

    public string? CommitId { get; init; }

    public string? CommitMessage { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public long? DurationMs { get; init; }

    /// <summary>The stage that failed, when <see cref="State"/> is failed.</summary>
    public string? FailedStage { get; init; }

    public string? FailureReason { get; init; }

    public IReadOnlyList<StageDto> Stages { get; init; } = [];
}

/// <summary>One stage of a deployment (validate, unpack, detect, pre-build-hook, dependencies, build, …).</summary>
public sealed record StageDto(string Name, string State, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, long? DurationMs, string? Detail);

/// <summary>
/// One event of a deployment's live progress, streamed by <c>GET /v1/apps/{app}/deployments/{id}/events</c> until the
/// deployment ends: as Server-Sent Events (<c>id:</c> is <see cref="Seq"/>; resume with <c>Last-Event-ID</c>), or as
/// NDJSON (resume with <c>?after=SEQ</c>; kept for clients of earlier releases).
/// </summary>
public sealed record DeploymentEventDto
{
    /// <summary>
    /// Number of the <c>finished</c> event, always: above any number a live stream reaches, so a client resuming after a
    /// server restart with the last number it saw still receives the outcome.
    /// </summary>
    public const long FinishedSeq = 1_000_000;

    /// <summary>Number of the stage-finished event that a server restart writes for the stage it interrupted.</summary>
    public const long InterruptedStageSeq = FinishedSeq - 1;

    /// <summary>
    /// Increasing event number, stable across server restarts; reconnect with it (<c>Last-Event-ID</c> or <c>after</c>)
    /// to resume without gaps or repeats. Output lines are not kept across a restart (the log store has them).
    /// </summary>
    public required long Seq { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>stage-started | stage-finished | output | finished (<see cref="Deployments.DeploymentEventTypes"/>)</summary>
    public required string Type { get; init; }

    public string? Stage { get; init; }

    /// <summary>For output: the line (stream in <see cref="Stream"/>); for stage-finished/finished: the outcome detail.</summary>
    public string? Message { get; init; }

    public string? Stream { get; init; }

    /// <summary>For stage-finished and finished: succeeded | failed | skipped | cancelled.</summary>
    public string? State { get; init; }

    public long? DurationMs { get; init; }
}
