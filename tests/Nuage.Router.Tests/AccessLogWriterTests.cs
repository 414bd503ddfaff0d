using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Core.Logging;
using Nuage.Router.AccessLog;
using Nuage.Router.Metrics;
using Nuage.Router.Routing;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests;

public sealed class AccessLogWriterTests
{
    [Fact]
    public async Task IdleWriter_FiresNoTimer_AndEntriesAfterEachQuietSpellAreWritten()
    {
        var time = new CountingTime();
        var sink = new MemoryLogSink();
        using var metrics = new RouterMetrics(() => RouteTableState.Empty, meterFactory: null);
        await using var writer = new AccessLogWriter(sink, capacity: 1000, metrics, NullLogger.Instance, time);

        for (var round = 1; round <= 5; round++)
        {
            // A burst, written together, then a quiet spell: the first entry after it must wake the writer again.
            for (var i = 0; i < round; i++)
            {
                writer.Enqueue(Entry($"r{round}-{i}"));
            }

            await WaitAsync(() => sink.Records.Count == round * (round + 1) / 2, $"round {round}'s {round} entries to be written");
            await Task.Delay(AccessLogWriter.FlushInterval * 2); // the batch window closes; the writer goes back to sleep
            var fired = time.Fired;
            await Task.Delay(AccessLogWriter.FlushInterval * 6);
            Assert.True(fired == time.Fired, $"round {round}: {time.Fired - fired} timer callbacks while no request came");
        }

        Assert.Equal(15, sink.Records.Select(r => r.Message).Distinct().Count());
    }

    [Fact]
    public async Task Dispose_WritesWhatIsQueued()
    {
        var sink = new MemoryLogSink();
        using var metrics = new RouterMetrics(() => RouteTableState.Empty, meterFactory: null);
        var writer = new AccessLogWriter(sink, capacity: 1000, metrics, NullLogger.Instance, TimeProvider.System);
        writer.Enqueue(Entry("last"));

        await writer.DisposeAsync();

        Assert.Contains(sink.Records, r => r.Message.Contains("request_id=last", StringComparison.Ordinal));
    }

    private static AccessLogEntry Entry(string requestId) =>
        new(DateTimeOffset.UtcNow, "app-web", "i-1", "dep-1", "GET", "/", 200, 2, 0.5, requestId, null);

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), $"timed out after 5 s waiting for {what}");
    }

    /// <summary>The system clock, counting the timer callbacks it runs (PeriodicTimer and Task.Delay both go through CreateTimer).</summary>
    private sealed class CountingTime : TimeProvider
    {
        private int _fired;

        public int Fired => Volatile.Read(ref _fired);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(s =>
            {
                Interlocked.Increment(ref _fired);
                callback(s);
            }, state, dueTime, period);
    }
}
