using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Nuage.Server.Metrics;

/// <summary>
/// Aggregates the measurements of every instrument created by one <see cref="PlatformMeters"/> (a MeterListener):
/// counters as cumulative sums, up-down counters and gauges as current values, histograms as cumulative buckets.
/// </summary>
internal sealed class MeterCollector : IDisposable
{
    private static readonly double[] DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();
    private readonly MeterListener _listener;
    private readonly Lock _collecting = new();

    public MeterCollector(PlatformMeters meters)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    var series = new InstrumentSeries(instrument, Bounds(instrument));
                    _instruments[instrument] = series;
                    listener.EnableMeasurementEvents(instrument, series);
                }
            },
            MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentSeries? _),
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Observes the observable instruments now and returns every family, sorted by name.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_collecting)
        {
            foreach (var series in _instruments.Values.Where(s => s.IsObservable))
            {
                series.Clear();
            }

            _listener.RecordObservableInstruments();
            return [.. _instruments.Values.Select(s => s.Snapshot()).OrderBy(f => f.Name, StringComparer.Ordinal)];
        }
    }

    private static double[] Bounds(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { Count: > 0 } b } => [.. b],
        Histogram<long> { Advice.HistogramBucketBoundaries: { Count: > 0 } b } => [.. b.Select(v => (double)v)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { Count: > 0 } b } => [.. b.Select(v => (double)v)],
        _ => DefaultBounds,
    };

    public void Dispose() => _listener.Dispose();
}
