namespace Nuage.Server.Deployments;

/// <summary>
/// Returns the memory a burst of deployments (or the server's start) leaves committed. A deployment allocates a lot for a short time
/// (the upload unpacked, files hashed and copied, the timeline written); the GC commits memory for that, and an idle
/// server runs no collection that would give it back: measured after 60 static deploys, 59 MiB committed for 12 MiB
/// of live objects (docs/benchmarks.md, "Static sites and idle memory"). Once no deployment has run for
/// <see cref="QuietPeriod"/>, one blocking, compacting collection in <see cref="GCCollectionMode.Aggressive"/> mode
/// decommits what is free. It pauses the process (router included) for the time of one full collection of a small
/// heap, once per burst, never while a deployment runs.
/// </summary>
internal sealed class IdleHeapTrimmer : IDisposable
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);

    private readonly ITimer _timer;
    private int _running;

    public IdleHeapTrimmer(TimeProvider time)
    {
        _timer = time.CreateTimer(_ => Trim(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many times the heap was trimmed (tests).</summary>
    public int Trims { get; private set; }

    public void DeploymentStarted()
    {
        Interlocked.Increment(ref _running);
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void DeploymentEnded()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _timer.Change(QuietPeriod, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>After the server's start (DI, migrations, restores: a burst too): trims once it is quiet.</summary>
    public void Started()
    {
        if (Volatile.Read(ref _running) == 0)
        {
            _timer.Change(QuietPeriod, Timeout.InfiniteTimeSpan);
        }
    }

    private void Trim()
    {
        if (Volatile.Read(ref _running) > 0)
        {
            return;
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Trims++;
    }

    public void Dispose() => _timer.Dispose();
}
