namespace Nuage.Core.Api;

/// <summary>A deployment as the API shows it: state, commit, and every stage with its timing.</summary>
public sealed record DeploymentDto
{
    public required string Id { get; init; }

    public required string App { get; init; }

    /// <summary>queued | running | succeeded | failed | cancelled</summary>
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
/// One line of a deployment's live progress, streamed as NDJSON by
/// <c>GET /v1/apps/{app}/deployments/{id}/events?after=SEQ</c> until the deployment ends.
/// </summary>
public sealed record DeploymentEventDto
{
    /// <summary>Position in the deployment's event list; reconnect with <c>after</c> to resume without gaps.</summary>
    public required long Seq { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>stage-started | stage-finished | output | finished</summary>
    public required string Type { get; init; }

    public string? Stage { get; init; }

    /// <summary>For output: the line (stream in <see cref="Stream"/>); for stage-finished/finished: the outcome detail.</summary>
    public string? Message { get; init; }

    public string? Stream { get; init; }

    /// <summary>For stage-finished and finished: succeeded | failed | skipped | cancelled.</summary>
    public string? State { get; init; }

    public long? DurationMs { get; init; }
}
