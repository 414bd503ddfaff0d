using Microsoft.Extensions.Time.Testing;
using Nuage.Runtime.Scheduling;

namespace Nuage.Runtime.Tests.Scheduling;

public sealed class RestartTrackerTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void NextDelay_ConsecutiveQuickExits_DoublesUpToTheCap()
    {
        var tracker = new RestartTracker(threshold: 100, TimeSpan.FromMinutes(5), stableAfter: TimeSpan.FromMinutes(1), maxDelay: TimeSpan.FromSeconds(5));
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var started = _time.GetUtcNow();
            _time.Advance(TimeSpan.FromSeconds(1));
            tracker.RecordExit(started, _time.GetUtcNow());
            delays.Add(tracker.NextDelay(TimeSpan.FromSeconds(1)));
        }

        Assert.Equal([1, 2, 4, 5, 5], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void NextDelay_AfterAStableRun_StartsAgainFromTheBaseDelay()
    {
        var tracker = new RestartTracker(100, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        tracker.RecordExit(_time.GetUtcNow(), _time.GetUtcNow());
        tracker.RecordExit(_time.GetUtcNow(), _time.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(2), tracker.NextDelay(TimeSpan.FromSeconds(1)));

        var started = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(2));
        tracker.RecordExit(started, _time.GetUtcNow());

        Assert.Equal(TimeSpan.FromSeconds(1), tracker.NextDelay(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void RecordExit_ThresholdWithinWindow_IsACrashLoop_ButSpreadOutIsNot()
    {
        var tracker = new RestartTracker(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        Assert.False(tracker.RecordExit(_time.GetUtcNow(), _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.False(tracker.RecordExit(_time.GetUtcNow(), _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(40));

        // The first exit fell out of the window: two within the last minute.
        Assert.False(tracker.RecordExit(_time.GetUtcNow(), _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(tracker.RecordExit(_time.GetUtcNow(), _time.GetUtcNow()));
    }
}
