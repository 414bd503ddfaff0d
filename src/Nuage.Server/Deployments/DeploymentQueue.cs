using System.Collections.Concurrent;

namespace Nuage.Server.Deployments;

/// <summary>
/// Runs deployments: one at a time per app, in arrival order (a new deploy queues behind the running one),
/// and at most <see cref="DeploymentOptions.MaxConcurrent"/> apps at once. <c>cancelPrevious</c> cancels the
/// app's running and queued deployments instead of waiting for them.
/// </summary>
internal sealed class DeploymentQueue(DeploymentOptions options, IdleHeapTrimmer trimmer) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrent, options.MaxConcurrent);
    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();

    public void Enqueue(string appId, string deploymentId, bool cancelPrevious, Func<CancellationToken, Task> run)
    {
        var lane = _lanes.GetOrAdd(appId, _ => new Lane());
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        trimmer.DeploymentStarted(); // queued counts: the heap is trimmed once the whole burst is done
        lock (lane)
        {
            if (cancelPrevious)
            {
                foreach (var previous in lane.Tokens.Values)
                {
                    previous.Cancel();
                }
            }

            lane.Tokens[deploymentId] = cts;
            lane.Tail = lane.Tail.ContinueWith(
                async _ =>
                {
                    await _slots.WaitAsync(CancellationToken.None);
                    try
                    {
                        await run(cts.Token);
                    }
                    finally
                    {
                        _slots.Release();
                        lock (lane)
                        {
                            lane.Tokens.Remove(deploymentId);
                        }

                        cts.Dispose();
                        trimmer.DeploymentEnded();
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>Completes when every queued deployment has run (tests and shutdown).</summary>
    public Task IdleAsync() => Task.WhenAll(_lanes.Values.Select(l => l.Tail));

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _shutdown.CancelAsync();
        await IdleAsync().WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        _shutdown.Dispose();
    }

    private sealed class Lane
    {
        public Task Tail { get; set; } = Task.CompletedTask;

        public Dictionary<string, CancellationTokenSource> Tokens { get; } = new(StringComparer.Ordinal);
    }
}
