using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Nuage.Core.Logging;
using Nuage.Core.Paths;

namespace Nuage.Logs.Storage;

/// <summary>
/// What the writer does when the disk is full. App output is not lost: tailers keep their committed offsets and
/// re-read from the instance files until a write succeeds, and the lines they could not store are counted once
/// each (<c>nuage_logs_lines_unstored_total</c>). Platform records (the full-disk notice itself, events raised by the
/// API) are kept in memory, up to <see cref="MaxRetainedEvents"/>, and written by the first commit that succeeds;
/// the writer retries on its own every <see cref="RetryDelay"/> while it holds some.
/// </summary>
internal sealed partial class AppLog
{
    private const int MaxRetainedEvents = 256;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly List<LogRecord> _retained = [];
    private readonly Dictionary<string, long> _unstoredUpTo = new(StringComparer.Ordinal);
    private DateTimeOffset? _fullSince;
    private long _unstoredWhileFull;
    private int _retryScheduled;
    private bool _isFull;

    /// <summary>True between a write refused for lack of space and the next commit that succeeds.</summary>
    public bool IsFull => Volatile.Read(ref _isFull);

    /// <summary>Runs on the writer in the transaction, before the batch: platform records kept from a full disk.</summary>
    private int InsertRetained(ref long sequence, ref long ticks)
    {
        foreach (var record in _retained)
        {
            _insert!.Insert(record, ref sequence, ref ticks);
        }

        return _retained.Count;
    }

    /// <summary>Runs on the writer after a commit: retained records are in, and a full period ends with a notice.</summary>
    private void OnCommitted()
    {
        _retained.Clear();
        if (_fullSince is not { } since)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var seconds = (long)(now - since).TotalSeconds;
        LogStoreWritable(_logger, AppId, seconds, _unstoredWhileFull);
        Retain(new LogRecord(now, AppId, LogSource.Platform, string.Create(CultureInfo.InvariantCulture,
            $"Log store writable again after {seconds} s full; {_unstoredWhileFull} app output lines it could not take are stored now from the instance output files.")));
        _fullSince = null;
        _unstoredWhileFull = 0;
        _unstoredUpTo.Clear();
        Volatile.Write(ref _isFull, false);
        ScheduleRetry(TimeSpan.Zero);
    }

    /// <summary>Runs on the writer after a transaction failed because the disk is full.</summary>
    private void OnDiskFull(List<WriteItem> items)
    {
        _metrics.StorageFull(DataArea.LogStore.Label);
        long unstored = 0;
        foreach (var item in items)
        {
            if (item.Lines is { } lines && item.OffsetKey is { } key && !item.Refused)
            {
                // A tailer re-reads the same lines after each failure: count each line once, by its file offset.
                var counted = _unstoredUpTo.GetValueOrDefault(key, -1);
                if (item.Offset > counted)
                {
                    unstored += lines.CountFrom(counted);
                    _unstoredUpTo[key] = item.Offset;
                }
            }
            else if (item.FromSink && item.Record is { Source: LogSource.Platform } platform && Retain(platform))
            {
                item.Retained = true;
            }
        }

        if (unstored > 0)
        {
            _unstoredWhileFull += unstored;
            _metrics.Unstored(AppId, unstored);
        }

        if (_fullSince is null)
        {
            var now = _time.GetUtcNow();
            _fullSince = now;
            Volatile.Write(ref _isFull, true);
            LogStoreFull(_logger, AppId);
            Retain(new LogRecord(now, AppId, LogSource.Platform,
                $"Log store full: no space left on the disk holding {DataArea.LogStore.Description}. App output stays in the instance output files and is stored once space is freed; build, access and platform records arriving meanwhile are dropped and counted."));
        }

        ScheduleRetry(RetryDelay);
    }

    private bool Retain(LogRecord record)
    {
        if (_retained.Count >= MaxRetainedEvents)
        {
            return false;
        }

        _retained.Add(record);
        return true;
    }

    /// <summary>Queues an empty batch later so retained records are written even when nothing else is logged.</summary>
    private void ScheduleRetry(TimeSpan delay)
    {
        if (_retained.Count == 0 || Interlocked.Exchange(ref _retryScheduled, 1) == 1)
        {
            return;
        }

        _ = RetryAsync(delay);
    }

    private async Task RetryAsync(TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time).ConfigureAwait(false);
        }

        Volatile.Write(ref _retryScheduled, 0);
        _queue.Writer.TryWrite(new WriteItem());
    }

    /// <summary>The exception a tailer or caller sees for a batch refused by a full disk.</summary>
    private StoreFullException FullFailure(Exception cause) =>
        new($"The disk holding {DataArea.LogStore.Description} is full; the batch was not stored and is retried from the instance file.", cause);

    private static bool IsDiskFull(SqliteException exception) => StoreFullException.IsDiskFull(exception);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Log store of app {AppId} is full (no space left on its disk); app output is retried from the instance files until space is freed")]
    private static partial void LogStoreFull(ILogger logger, string appId);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "Log store of app {AppId} is writable again after {Seconds} s; {Unstored} delayed app output lines are being stored")]
    private static partial void LogStoreWritable(ILogger logger, string appId, long seconds, long unstored);
}
