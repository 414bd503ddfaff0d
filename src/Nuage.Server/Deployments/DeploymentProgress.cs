using System.Runtime.CompilerServices;
using Nuage.Core.Api;
using Nuage.Core.Deployments;

namespace Nuage.Server.Deployments;

/// <summary>
/// The live event list of one deployment. Readers resume from any event number and wait for new events;
/// the list is append-only, so a reader never misses or repeats a line.
/// </summary>
/// <remarks>
/// Event numbers are stable across a server restart: stage-finished numbers are saved with their stage
/// (<see cref="Core.State.StageRecord.Seq"/>), and the finished event always carries <see cref="DeploymentEventDto.FinishedSeq"/>,
/// above any number a live stream can reach, so a client resuming with <c>after=N</c> always receives it.
/// </remarks>
internal sealed class DeploymentProgress
{
    /// <summary>Beyond this many output lines the stream says so and stops repeating build output (the log keeps it all).</summary>
    public const int MaxOutputEvents = 20_000;

    private readonly List<DeploymentEventDto> _events = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = NewSignal();
    private int _outputEvents;

    public bool IsFinished { get; private set; }

    /// <summary>Appends an event and returns its number (0 when dropped: after the end, or past the output cap).</summary>
    public long Append(DeploymentEventDto draft)
    {
        TaskCompletionSource signal;
        long seq;
        lock (_lock)
        {
            if (IsFinished)
            {
                return 0;
            }

            if (draft.Type == DeploymentEventTypes.Output && ++_outputEvents > MaxOutputEvents)
            {
                if (_outputEvents != MaxOutputEvents + 1)
                {
                    return 0;
                }

                draft = draft with { Message = $"… output truncated after {MaxOutputEvents} lines; 'nuage logs --source build' has the rest" };
            }

            IsFinished = draft.Type == DeploymentEventTypes.Finished;
            seq = IsFinished ? DeploymentEventDto.FinishedSeq : _events.Count + 1;
            _events.Add(draft with { Seq = seq });
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
        return seq;
    }

    public async IAsyncEnumerable<DeploymentEventDto> ReadAsync(long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int next;
        lock (_lock)
        {
            next = _events.FindIndex(e => e.Seq > after);
            next = next < 0 ? _events.Count : next;
        }

        while (true)
        {
            DeploymentEventDto[] batch;
            Task changed;
            bool finished;
            lock (_lock)
            {
                batch = next < _events.Count ? _events.GetRange(next, _events.Count - next).ToArray() : [];
                changed = _changed.Task;
                finished = IsFinished;
            }

            foreach (var e in batch)
            {
                yield return e;
            }

            next += batch.Length;
            if (finished && batch.Length == 0)
            {
                yield break;
            }

            if (batch.Length == 0)
            {
                await changed.WaitAsync(cancellationToken);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
