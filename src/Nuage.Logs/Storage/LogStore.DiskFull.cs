using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Nuage.Core.Logging;
using Nuage.Core.Paths;

namespace Nuage.Logs.Storage;

/// <summary>
/// An app whose log file cannot even be created (its first record arrives while the disk is full): the sink must not
/// throw, so the record is dropped and counted, except platform records, which wait here (a few per app) and are
/// written as soon as the app's log opens (its next record, read or follow).
/// </summary>
public sealed partial class LogStore
{
    private const int MaxWaitingPerApp = 64;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<LogRecord>> _waiting = new(StringComparer.Ordinal);

    private AppLog? TryGetForWrite(LogRecord record)
    {
        try
        {
            return Get(record.AppId);
        }
        catch (SqliteException e) when (StoreFullException.IsDiskFull(e))
        {
            Metrics.StorageFull(DataArea.LogStore.Label);
            var waiting = _waiting.GetOrAdd(record.AppId, _ => new ConcurrentQueue<LogRecord>());
            if (record.Source == LogSource.Platform && waiting.Count < MaxWaitingPerApp)
            {
                waiting.Enqueue(record with { Timestamp = _time.GetUtcNow() });
            }
            else
            {
                Metrics.Dropped(record.AppId, 1);
            }

            return null;
        }
    }

    private void ReplayWaiting(AppLog app)
    {
        if (_waiting.IsEmpty || !_waiting.TryRemove(app.AppId, out var waiting))
        {
            return;
        }

        while (waiting.TryDequeue(out var record))
        {
            if (!app.TryEnqueue(record))
            {
                Metrics.Dropped(app.AppId, 1);
            }
        }
    }
}
