using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Nuage.Logs.Metrics;

/// <summary>Instruments of the "Nuage.Logs" meter; the server's /metrics exporter listens to it.</summary>
public sealed class LogsMetrics : IDisposable
{
    public const string MeterName = "Nuage.Logs";

    private readonly Meter _meter;
    private readonly Counter<long> _ingested;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _deliveryErrors;
    private readonly Counter<long> _unstored;
    private readonly Counter<long> _storageFull;
    private readonly ConcurrentDictionary<string, Func<IEnumerable<Measurement<long>>>> _backlogSources = new();
    private long _ingestedTotal;
    private long _droppedTotal;
    private long _unstoredTotal;

    public LogsMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _ingested = _meter.CreateCounter<long>("nuage.logs.lines.ingested", "{line}", "Log lines committed to the store");
        _dropped = _meter.CreateCounter<long>("nuage.logs.lines.dropped", "{line}", "Log lines dropped because the sink queue was full or the write failed");
        _delivered = _meter.CreateCounter<long>("nuage.logs.drain.delivered", "{line}", "Log lines delivered by drains");
        _deliveryErrors = _meter.CreateCounter<long>("nuage.logs.drain.errors", "{error}", "Failed drain delivery attempts");
        _unstored = _meter.CreateCounter<long>("nuage.logs.lines.unstored", "{line}", "App output lines the store could not take (disk full); they stay in the instance output files and are stored once space is back");
        _storageFull = _meter.CreateCounter<long>("nuage.storage.full", "{write}", "Writes refused because the disk of the data directory is full, by area");
        _meter.CreateObservableGauge("nuage.logs.drain.backlog", ObserveBacklog, "{line}", "Lines stored but not yet delivered, per drain");
    }

    /// <summary>Totals since start, for a quick view without a listener.</summary>
    public long IngestedTotal => Interlocked.Read(ref _ingestedTotal);

    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    public long UnstoredTotal => Interlocked.Read(ref _unstoredTotal);

    /// <summary>Counts a write refused because the disk is full; <paramref name="area"/> is a <see cref="Nuage.Core.Paths.DataArea.Label"/>.</summary>
    public void StorageFull(string area) => _storageFull.Add(1, new KeyValuePair<string, object?>("area", area));

    internal void Ingested(string appId, int count)
    {
        Interlocked.Add(ref _ingestedTotal, count);
        _ingested.Add(count, new KeyValuePair<string, object?>("app", appId));
    }

    internal void Dropped(string appId, int count)
    {
        Interlocked.Add(ref _droppedTotal, count);
        _dropped.Add(count, new KeyValuePair<string, object?>("app", appId));
    }

    internal void Unstored(string appId, long count)
    {
        Interlocked.Add(ref _unstoredTotal, count);
        _unstored.Add(count, new KeyValuePair<string, object?>("app", appId));
    }

    internal void Delivered(string appId, string drainId, int count) =>
        _delivered.Add(count, new("app", appId), new("drain", drainId));

    internal void DeliveryError(string appId, string drainId) =>
        _deliveryErrors.Add(1, new("app", appId), new("drain", drainId));

    internal void RegisterBacklog(string key, Func<IEnumerable<Measurement<long>>> source) => _backlogSources[key] = source;

    internal void UnregisterBacklog(string key) => _backlogSources.TryRemove(key, out _);

    private IEnumerable<Measurement<long>> ObserveBacklog() => _backlogSources.Values.SelectMany(source => source()).ToList();

    public void Dispose() => _meter.Dispose();
}
