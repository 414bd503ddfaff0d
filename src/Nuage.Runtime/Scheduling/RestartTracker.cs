namespace Nuage.Runtime.Scheduling;

/// <summary>
/// Back-off and crash-loop bookkeeping for one instance: the delay doubles with each consecutive quick exit,
/// and too many exits within the window is a crash loop. Pure: time comes in as arguments.
/// </summary>
internal sealed class RestartTracker
{
    private readonly Queue<DateTimeOffset> _recent = new();
    private int _consecutive;

    public RestartTracker(int threshold, TimeSpan window, TimeSpan stableAfter, TimeSpan maxDelay)
    {
        Threshold = threshold;
        Window = window;
        StableAfter = stableAfter;
        MaxDelay = maxDelay;
    }

    public int Threshold { get; }

    public TimeSpan Window { get; }

    public TimeSpan StableAfter { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>Records an exit at <paramref name="now"/> of a process that started at <paramref name="startedAt"/>.</summary>
    /// <returns>True when this exit makes a crash loop (the threshold reached within the window).</returns>
    public bool RecordExit(DateTimeOffset startedAt, DateTimeOffset now)
    {
        _consecutive = now - startedAt >= StableAfter ? 1 : _consecutive + 1;
        _recent.Enqueue(now);
        while (_recent.Count > 0 && now - _recent.Peek() > Window)
        {
            _recent.Dequeue();
        }

        return _recent.Count >= Threshold;
    }

    /// <summary>The delay before the next restart: base × 2^(consecutive exits − 1), capped.</summary>
    public TimeSpan NextDelay(TimeSpan baseDelay)
    {
        var exponent = Math.Clamp(_consecutive - 1, 0, 30);
        var ticks = baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
