using Nuage.Core.Api;
using Nuage.Core.Apps;
using Nuage.Core.State;

namespace Nuage.Server.Deployments;

internal sealed partial class DeploymentService
{
    public static DeploymentDto ToDto(AppConfig app, DeploymentRecord d) => new()
    {
        Id = d.Id,
        App = app.Name,
        State = d.State.ToString().ToLowerInvariant(),
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

    private static IEnumerable<DeploymentEventDto> Replay(DeploymentRecord d)
    {
        long seq = 0;
        foreach (var stage in d.Stages.Where(s => s.FinishedAt is not null))
        {
            yield return new DeploymentEventDto
            {
                Seq = ++seq,
                Time = stage.FinishedAt!.Value,
                Type = "stage-finished",
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
                Seq = ++seq,
                Time = finished,
                Type = "finished",
                Stage = d.FailedStage,
                State = d.State.ToString().ToLowerInvariant(),
                Message = d.FailureReason,
                DurationMs = d.StartedAt is { } s ? (long)(finished - s).TotalMilliseconds : 0,
            };
        }
    }
}
