using Nuage.Core.Api;
using Nuage.Core.Deployments;
using Nuage.Core.Errors;
using Nuage.Core.Logging;
using Nuage.Core.State;

namespace Nuage.Server.Deployments;

/// <summary>
/// Bookkeeping of one running deployment: its stages with timings (persisted at each transition), the live event
/// stream, and build output copied into the app's log as the <c>build</c> source.
/// </summary>
internal sealed class DeploymentRun(DeploymentRecord record, DeploymentProgress progress, IStateStore store, ILogSink logs, TimeProvider time, DeploymentTelemetry? telemetry = null)
{
    private readonly List<StageRecord> _stages = [.. record.Stages];
    private readonly Dictionary<string, System.Diagnostics.Activity?> _stageSpans = new(StringComparer.Ordinal);
    private readonly Lock _persistLock = new();
    private System.Diagnostics.Activity? _span;
    private string? _detail;
    private Task _persisted = Task.CompletedTask;

    public DeploymentRecord Record { get; private set; } = record;

    public string? CurrentStage { get; private set; }

    public async Task StartAsync()
    {
        Record = Record with { State = DeploymentState.Running, StartedAt = time.GetUtcNow() };
        _span = telemetry?.StartDeployment(Record);
        await PersistAsync();
        Platform($"deployment {Record.Id} started ({Record.Kind.ToString().ToLowerInvariant()}{(Record.CommitId is { } c ? ", commit " + c[..Math.Min(12, c.Length)] : string.Empty)})");
    }

    public void BeginStage(string name)
    {
        CurrentStage = name;
        _stages.Add(new StageRecord(name, StageStates.Running, time.GetUtcNow(), null, null));
        _stageSpans[name] = telemetry?.StartStage(_span, name);
        Emit(DeploymentEventTypes.StageStarted, name, null, null, null);
    }

    /// <summary>
    /// Starts a stage from a synchronous callback (the build observer) and saves it in the background, so a server
    /// killed during that stage records it as the one that was interrupted.
    /// </summary>
    public void BeginStageAndSave(string name)
    {
        BeginStage(name);
        _ = PersistAsync();
    }

    public void EndStage(string name, string state, string? detail)
    {
        var index = _stages.FindLastIndex(s => s.Name == name);
        var started = index >= 0 ? _stages[index].StartedAt : time.GetUtcNow();
        var finished = time.GetUtcNow();
        var duration = (long)(finished - started).TotalMilliseconds;
        var seq = Emit(DeploymentEventTypes.StageFinished, name, detail, state, duration);
        var stage = new StageRecord(name, state, started, finished, detail, seq > 0 ? seq : null);
        if (index >= 0)
        {
            _stages[index] = stage;
        }
        else
        {
            _stages.Add(stage);
        }

        DeploymentTelemetry.EndStage(_stageSpans.GetValueOrDefault(name), state, detail);
        _stageSpans.Remove(name);
    }

    /// <summary>Adds a detail to a finished stage's record (e.g. the dependency cache outcome, known only after the build).</summary>
    public void AmendStage(string name, string detail)
    {
        var index = _stages.FindLastIndex(s => s.Name == name);
        if (index >= 0)
        {
            _stages[index] = _stages[index] with { Detail = _stages[index].Detail is { } existing ? $"{detail}; {existing}" : detail };
        }
    }

    /// <summary>Sets the detail shown for the running stage when it succeeds.</summary>
    public void SetDetail(string detail) => _detail = detail;

    /// <summary>Runs one stage; a failure becomes a <see cref="StageFailedException"/> naming the stage and the reason.</summary>
    public async Task<T> StageAsync<T>(string name, Func<Task<T>> body)
    {
        BeginStage(name);
        await PersistAsync();
        T value;
        try
        {
            value = await body();
        }
        catch (StageFailedException)
        {
            throw;
        }
        catch (Exception e) when (e is NuageException or IOException or UnauthorizedAccessException or OperationCanceledException or InvalidDataException)
        {
            var reason = e is OperationCanceledException ? "cancelled" : e.Message;
            EndStage(name, StageStates.Failed, reason);
            await PersistAsync();
            throw new StageFailedException(name, reason);
        }

        EndStage(name, StageStates.Succeeded, _detail ?? value as string);
        _detail = null;
        await PersistAsync();
        return value;
    }

    public void Output(string line, string stream)
    {
        Emit(DeploymentEventTypes.Output, CurrentStage, line, null, null, stream);
        logs.Write(new LogRecord(time.GetUtcNow(), Record.AppId, LogSource.Build, line, DeploymentId: Record.Id, Stream: stream));
    }

    public async Task UpdateAsync(Func<DeploymentRecord, DeploymentRecord> change)
    {
        Record = change(Record);
        await PersistAsync();
    }

    /// <summary>Saves the record with its stages; saves are chained, so they reach the store in the order they were made.</summary>
    public Task PersistAsync()
    {
        lock (_persistLock)
        {
            Record = Record with { Stages = [.. _stages] };
            _persisted = SaveAfterAsync(_persisted, Record);
            return _persisted;
        }
    }

    private async Task SaveAfterAsync(Task previous, DeploymentRecord snapshot)
    {
        await previous;
        await store.Deployments.UpdateAsync(snapshot, CancellationToken.None);
    }

    public async Task FinishAsync(DeploymentState state, string? failedStage, string? reason)
    {
        var now = time.GetUtcNow();
        if (state != DeploymentState.Succeeded)
        {
            // A failed or cancelled deployment leaves no stage running (a build step cancelled mid-way, for one);
            // after success only the retirement goes on, and it ends its own stage.
            foreach (var open in _stages.Where(s => s.FinishedAt is null).ToList())
            {
                EndStage(open.Name, state == DeploymentState.Cancelled ? StageStates.Cancelled : StageStates.Failed, reason);
            }
        }

        Record = Record with { State = state, FinishedAt = now, FailedStage = failedStage, FailureReason = reason };
        await PersistAsync();
        telemetry?.Finished(Record, _span);
        var duration = Record.StartedAt is { } started ? (long)(now - started).TotalMilliseconds : 0;
        Platform(state switch
        {
            DeploymentState.Succeeded => $"deployment {Record.Id} succeeded",
            DeploymentState.Cancelled => $"deployment {Record.Id} cancelled{(reason is null ? string.Empty : ": " + reason)}",
            _ => $"deployment {Record.Id} failed at {failedStage}: {reason}",
        });
        Emit(DeploymentEventTypes.Finished, failedStage, reason, DeploymentStates.Name(state), duration);
    }

    private void Platform(string message) =>
        logs.Write(new LogRecord(time.GetUtcNow(), Record.AppId, LogSource.Platform, message, DeploymentId: Record.Id));

    private long Emit(string type, string? stage, string? message, string? state, long? durationMs, string? stream = null) =>
        progress.Append(new DeploymentEventDto
        {
            Seq = 0,
            Time = time.GetUtcNow(),
            Type = type,
            Stage = stage,
            Message = message,
            State = state,
            DurationMs = durationMs,
            Stream = stream,
        });
}
