using Microsoft.Extensions.Logging;
using Nuage.Core.Logging;
using Nuage.Logs.Drains.Transports;
using Nuage.Logs.Metrics;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains;

/// <summary>
/// One drain's delivery loop: reads the store after the drain's durable cursor, sends a batch, then moves the cursor
/// once the receiver confirmed it: on return for acknowledged transports (HTTP 2xx), or as the receiver's kernel
/// acknowledges the bytes for syslog over TCP/TLS (<see cref="IAcknowledgementTracker"/>), which may run ahead of the
/// cursor and, after a failure, resumes from it. Runs on its own, so a slow or failing receiver only delays itself.
/// Failures back off exponentially with jitter.
/// </summary>
internal sealed partial class DrainWorker : IAsyncDisposable
{
    private readonly DrainConfig _drain;
    private readonly AppLog _app;
    private readonly LogStore _store;
    private readonly DrainCursors _cursors;
    private readonly IDrainTransport _transport;
    private readonly DrainOptions _options;
    private readonly Random _random;
    private readonly LogsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly RecordRangeReader _reader;
    private DrainProgress _progress;
    private long _progressOrIdleAt;

    public DrainWorker(DrainConfig drain, DrainProgress progress, LogStore store, DrainCursors cursors,
        IDrainTransport transport, DrainOptions options, Random random, ILogger logger)
    {
        _drain = drain;
        _progress = progress;
        _store = store;
        _app = store.Get(drain.AppId);
        _reader = new RecordRangeReader(drain.AppId);
        _cursors = cursors;
        _progressOrIdleAt = store.Time.GetUtcNow().UtcTicks;
        _transport = transport;
        _options = options;
        _random = random;
        _metrics = store.Metrics;
        _logger = logger;
        _metrics.RegisterBacklog(drain.Id, () => [new(Backlog, new("app", drain.AppId), new("drain", drain.Id), new("type", drain.Type))]);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public DrainProgress Progress => Volatile.Read(ref _progress);

    /// <summary>When the cursor last moved or the drain was last caught up; a backlog older than StallAfter means stalled.</summary>
    public DateTimeOffset ProgressOrIdleAt => new(Interlocked.Read(ref _progressOrIdleAt), TimeSpan.Zero);

    public long Backlog => Math.Max(0, _app.LastSequence - Progress.Cursor);

    private TimeProvider Time => _store.Time;

    private async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        var tracker = _transport as IAcknowledgementTracker;
        IReadOnlyList<StoredLogRecord>? pending = null;
        long pendingEnd = 0;
        var sent = Progress.Cursor;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (pending is null)
                {
                    var changed = _app.Changed;
                    var batch = _app.ReadAfter(_reader, sent, _options.BatchSize);

                    // Sequences have no gaps, so a gap after the read position (or nothing left while the log went on)
                    // means retention removed lines this drain had not delivered: only then are the store's bounds read.
                    if ((batch.Count > 0 && batch[0].Sequence > sent + 1) || (batch.Count == 0 && _app.LastSequence > sent))
                    {
                        await SettleAsync(tracker, sent, ct);
                        await SkipWhatRetentionRemovedAsync(ct);
                        sent = Progress.Cursor;
                        continue;
                    }

                    if (batch.Count == 0)
                    {
                        if (sent > Progress.Cursor)
                        {
                            await SettleAsync(tracker, sent, ct);
                            continue;
                        }

                        Interlocked.Exchange(ref _progressOrIdleAt, Time.GetUtcNow().UtcTicks);
                        await changed.WaitAsync(ct);
                        continue;
                    }

                    pending = batch;
                    pendingEnd = batch[^1].Sequence;
                }

                var result = await _transport.SendAsync(pending, ct);
                if (tracker is not null)
                {
                    sent = pendingEnd;
                    pending = null;
                    Commit(tracker.AcknowledgedThrough());
                    failures = 0;
                    continue;
                }

                var delivered = pending.Count - result.Retry.Count - result.Skipped;
                _metrics.Delivered(_drain.AppId, _drain.Id, delivered);
                var p = Progress;
                p = p with { Delivered = p.Delivered + delivered, Skipped = p.Skipped + result.Skipped, LastDeliveryAt = Time.GetUtcNow() };
                if (result.SkipReason is not null)
                {
                    p = p with { LastError = $"{result.Skipped} record(s) rejected and skipped; first: {result.SkipReason}", LastErrorAt = Time.GetUtcNow() };
                }

                if (result.Retry.Count > 0)
                {
                    pending = result.Retry;
                    var refused = $"{result.Retry.Count} record(s) refused for now (429/5xx); retrying";
                    Save(p with { LastError = p.LastError is { } skip && result.SkipReason is not null ? $"{skip}; {refused}" : refused, LastErrorAt = Time.GetUtcNow() });
                    _metrics.DeliveryError(_drain.AppId, _drain.Id);
                    await BackoffAsync(++failures, ct);
                    continue;
                }

                Save(p with { Cursor = pendingEnd });
                sent = pendingEnd;
                Interlocked.Exchange(ref _progressOrIdleAt, Time.GetUtcNow().UtcTicks);
                pending = null;
                failures = 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _metrics.DeliveryError(_drain.AppId, _drain.Id);
                LogDeliveryFailed(_logger, _drain.Id, _drain.AppId, ex.Message);

                // Users see what Nuage itself says about the failure, never text the receiver chose.
                var shown = ex is DrainDeliveryException ? ex.Message : $"delivery failed ({ex.GetType().Name})";
                Save(Progress with { LastError = shown, LastErrorAt = Time.GetUtcNow() });
                if (tracker is not null)
                {
                    // Nothing after the durable cursor is known to have arrived: resend it (and what a reset may have dropped).
                    pending = null;
                    sent = tracker.ResumeFrom(Progress.Cursor);
                }

                try
                {
                    await BackoffAsync(++failures, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Waits until the receiver acknowledged everything sent (syslog over TCP/TLS), then commits it.</summary>
    private async Task SettleAsync(IAcknowledgementTracker? tracker, long sent, CancellationToken ct)
    {
        if (tracker is not null && sent > Progress.Cursor)
        {
            await tracker.WaitAllAcknowledgedAsync(ct);
            Commit(tracker.AcknowledgedThrough());
        }
    }

    /// <summary>Moves the durable cursor to what the receiver acknowledged (never backwards).</summary>
    private void Commit(long acknowledgedThrough)
    {
        var p = Progress;
        if (acknowledgedThrough <= p.Cursor)
        {
            return;
        }

        var delivered = acknowledgedThrough - p.Cursor;
        _metrics.Delivered(_drain.AppId, _drain.Id, (int)delivered);
        Save(p with { Cursor = acknowledgedThrough, Delivered = p.Delivered + delivered, LastDeliveryAt = Time.GetUtcNow() });
        Interlocked.Exchange(ref _progressOrIdleAt, Time.GetUtcNow().UtcTicks);
    }

    /// <summary>If retention deleted records this drain had not delivered, say exactly how many in a platform event and move on.</summary>
    private async Task SkipWhatRetentionRemovedAsync(CancellationToken ct)
    {
        var stats = await _app.StatsAsync(ct);
        var cursor = Progress.Cursor;
        var missed = stats.FirstSequence - 1 - cursor;
        if (missed <= 0)
        {
            return;
        }

        _store.Sink.Write(new LogRecord(Time.GetUtcNow(), _drain.AppId, LogSource.Platform,
            $"Log drain {_drain.Id} ({_drain.Type}) missed {missed} log lines (sequences {cursor + 1} to {stats.FirstSequence - 1}): retention deleted them before they could be delivered"));
        LogMissed(_logger, _drain.Id, _drain.AppId, missed);
        var p = Progress;
        Save(p with { Cursor = stats.FirstSequence - 1, Missed = p.Missed + missed });
    }

    internal static TimeSpan BackoffDelay(int failures, DrainOptions options, double random)
    {
        var exponent = Math.Min(failures - 1, 30);
        var baseTicks = Math.Min(options.MaxBackoff.Ticks, options.InitialBackoff.Ticks * Math.Pow(2, exponent));
        var jittered = baseTicks * (0.5 + random);
        return TimeSpan.FromTicks((long)Math.Min(options.MaxBackoff.Ticks, jittered));
    }

    private Task BackoffAsync(int failures, CancellationToken ct)
    {
        double r;
        lock (_random)
        {
            r = _random.NextDouble();
        }

        return Task.Delay(BackoffDelay(failures, _options, r), Time, ct);
    }

    private void Save(DrainProgress progress)
    {
        Volatile.Write(ref _progress, progress);
        _cursors.Save(progress);
    }

    public async ValueTask DisposeAsync()
    {
        _metrics.UnregisterBacklog(_drain.Id);
        await _stop.CancelAsync();
        await _loop;
        await _transport.DisposeAsync();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Drain {DrainId} of app {AppId} failed to deliver: {Reason}")]
    private static partial void LogDeliveryFailed(ILogger logger, string drainId, string appId, string reason);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Drain {DrainId} of app {AppId} missed {Count} lines removed by retention")]
    private static partial void LogMissed(ILogger logger, string drainId, string appId, long count);
}
