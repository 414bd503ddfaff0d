using Nuage.Core.Instances;


namespace Nuage.Runtime.Scheduling;

/// <summary>One instance under supervision: its spec, its current state snapshot and its supervision loop.</summary>
internal sealed class SupervisedInstance : IDisposable
{
    private InstanceState _state;

    public SupervisedInstance(InstanceSpec spec, InstanceState state, RestartTracker tracker)
    {
        Spec = spec;
        _state = state;
        Tracker = tracker;
    }

    public InstanceSpec Spec { get; }

    public RestartTracker Tracker { get; }

    /// <summary>The latest snapshot; replaced whole, never mutated.</summary>
    public InstanceState State => Volatile.Read(ref _state);

    /// <summary>Held while the process is being replaced or stopped, so a stop and a restart never interleave.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Cancelled to end the supervision loop (stop, or scheduler disposal which leaves the process running).</summary>
    public CancellationTokenSource Lifetime { get; } = new();

    public bool StopRequested { get; set; }

    /// <summary>Set when the pre-run hook failed: the start failed, nothing is restarted.</summary>
    public bool HookFailed { get; set; }

    public Task Loop { get; set; } = Task.CompletedTask;

    /// <summary>Completes when the first run is known to be Running, or has ended (pre-run hook failure included).</summary>
    public TaskCompletionSource<InstanceState> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the final state (Exited, OomKilled, CrashLooping, Stopped).</summary>
    public TaskCompletionSource<InstanceState> Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Swap(InstanceState state) => Volatile.Write(ref _state, state);

    public void Dispose()
    {
        Lifetime.Dispose();
        Gate.Dispose();
    }
}
