using Microsoft.Extensions.Logging;
using Nuage.Core.Logging;
using Nuage.Logs.Drains.Transports;
using Nuage.Logs.Metrics;
using Nuage.Logs.Storage;

namespace Nuage.Logs.Drains;

/// <summary>
/// One drain's delivery loop: reads the store after the drain's durable cursor, sends a batch, then moves the cursor.
/// Runs on its own, so a slow or failing receiver only delays itself. Failures back off exponentially with jitter.
/// </summary>
internal sealed partial class DrainWorker : IAsyncDisposable
{
    private readonly DrainConfig _drain;
    private readonly AppLog _app;
    private readonly LogStore _store;
    private readonly DrainRepository _repository;
    private readonly IDrainTransport _transport;
    private readonly DrainOptions _options;
    private readonly Random _random;
    private readonly LogsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly RecordRangeReader _reader;
    private DrainProgress _progress;

    public DrainWorker(DrainConfig drain, DrainProgress progress, LogStore store, DrainRepository repository,
        IDrainTransport transport, DrainOptions options, Random random, ILogger logger)
    {
        _drain = drain;
        _progress = progress;
        _store = store;
        _app = store.Get(drain.AppId);
        _reader = new RecordRangeReader(drain.AppId);
        _repository = repository;
        _transport = transport;
        _options = options;
        _random = random;
        _metrics = store.Metrics;
        _logger = logger;
        _metrics.RegisterBacklog(drain.Id, () => [new(Backlog, new("app", drain.AppId), new("drain", drain.Id), new("type", drain.Type))]);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public DrainProgress Progress => Volatile.Read(ref _progress);

    public long Backlog => Math.Max(0, _app.LastSequence - Progress.Cursor);

    private TimeProvider Time => _store.Time;

    private async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        IReadOnlyList<StoredLogRecord>? pending = null;
        long pendingEnd = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (pending is null)
                {
                    var changed = _app.Changed;
                    var cursor = Progress.Cursor;
                    var batch = _app.ReadAfter(_reader, cursor, _options.BatchSize);

                    // Sequences have no gaps, so a gap after the cursor (or nothing left while the log went on) means
                    // retention removed lines this drain had not delivered: only then are the store's bounds read.
                    if ((batch.Count > 0 && batch[0].Sequence > cursor + 1) || (batch.Count == 0 && _app.LastSequence > cursor))
                    {
                        await SkipWhatRetentionRemovedAsync(ct);
                        continue;
                    }

                    if (batch.Count == 0)
                    {
                        await changed.WaitAsync(ct);
                        continue;
                    }

                    pending = batch;
                    pendingEnd = batch[^1].Sequence;
                }

                var result = await _transport.SendAsync(pending, ct);
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
                Save(Progress with { LastError = ex.Message, LastErrorAt = Time.GetUtcNow() });
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
        _repository.SaveProgress(progress);
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
