using System.Runtime.CompilerServices;
using Nuage.Core.Api;

namespace Nuage.Server.Deployments;

/// <summary>
/// The live event list of one deployment. Readers resume from any position and wait for new events;
/// the list is append-only, so a reader never misses or repeats a line.
/// </summary>
internal sealed class DeploymentProgress
{
    /// <summary>Beyond this many output lines the stream says so and stops repeating build output (the log keeps it all).</summary>
    public const int MaxOutputEvents = 20_000;

    private readonly List<DeploymentEventDto> _events = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = NewSignal();
    private int _outputEvents;

    public bool IsFinished { get; private set; }

    public void Append(DeploymentEventDto draft)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (IsFinished)
            {
                return;
            }

            if (draft.Type == "output" && ++_outputEvents > MaxOutputEvents)
            {
                if (_outputEvents != MaxOutputEvents + 1)
                {
                    return;
                }

                draft = draft with { Message = $"… output truncated after {MaxOutputEvents} lines; 'nuage logs --source build' has the rest" };
            }

            _events.Add(draft with { Seq = _events.Count + 1 });
            IsFinished = draft.Type == "finished";
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
    }

    public async IAsyncEnumerable<DeploymentEventDto> ReadAsync(long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = (int)Math.Max(0, after);
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
