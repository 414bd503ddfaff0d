using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.Deployments;
using Nuage.Core.State;

namespace Nuage.Server.Deployments;

internal sealed partial class DeploymentService
{
    public static DeploymentDto ToDto(AppConfig app, DeploymentRecord d) => new()
    {
        Id = d.Id,
        App = app.Name,
        State = DeploymentStates.Name(d.State),
        Kind = d.Kind.ToString().ToLowerInvariant(),
        CommitId = d.CommitId,
        CommitMessage = d.CommitMessage,
        CreatedAt = d.CreatedAt,
        StartedAt = d.StartedAt,
        FinishedAt = d.FinishedAt,
        DurationMs = d is { StartedAt: { } s, FinishedAt: { } f } ? (long)(f - s).TotalMilliseconds : null,
        FailedStage = d.FailedStage,
        FailureReason = d.FailureReason,
        Stages = [.. d.Stages.Select(s => new StageDto(
            s.Name, s.State, s.StartedAt, s.FinishedAt, s.FinishedAt is { } end ? (long)(end - s.StartedAt).TotalMilliseconds : null, s.Detail))],
    };

    /// <summary>
    /// A finished deployment's events rebuilt from its record (after a server restart): every finished stage with the
    /// number it had live, then the finished event. Output lines are not replayed (the log store has them).
    /// </summary>
    private static IEnumerable<DeploymentEventDto> Replay(DeploymentRecord d)
    {
        long position = 0;
        foreach (var stage in d.Stages.Where(s => s.FinishedAt is not null))
        {
            // Records written before event numbers were saved have none: number them by position, as then.
            position = stage.Seq ?? position + 1;
            yield return new DeploymentEventDto
            {
                Seq = position,
                Time = stage.FinishedAt!.Value,
                Type = DeploymentEventTypes.StageFinished,
                Stage = stage.Name,
                State = stage.State,
                Message = stage.Detail,
                DurationMs = (long)(stage.FinishedAt.Value - stage.StartedAt).TotalMilliseconds,
            };
        }

        if (d.FinishedAt is { } finished)
        {
            yield return new DeploymentEventDto
            {
                Seq = DeploymentEventDto.FinishedSeq,
                Time = finished,
                Type = DeploymentEventTypes.Finished,
                Stage = d.FailedStage,
                State = DeploymentStates.Name(d.State),
                Message = d.FailureReason,
                DurationMs = d.StartedAt is { } s ? (long)(finished - s).TotalMilliseconds : 0,
            };
        }
    }
}
