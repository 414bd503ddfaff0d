using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Nuage.Server.Metrics;

/// <summary>The aggregated series of one instrument, keyed by their tag set.</summary>
internal sealed class InstrumentSeries(Instrument instrument, double[] bounds)
{
    private readonly Dictionary<TagSet, Series> _series = [];
    private readonly Lock _lock = new();
    private readonly string _kind = KindOf(instrument);
    private readonly bool _isHistogram = KindOf(instrument) == "histogram";
    private readonly bool _keepsLastValue = KindOf(instrument) == "gauge" && (instrument.IsObservable || instrument is Gauge<double> or Gauge<long> or Gauge<int>);

    public bool IsObservable => instrument.IsObservable;

    /// <summary>Adds one measurement. Allocation-free once the series exists (this runs on the router's request path).</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = new TagSet(tags);
        lock (_lock)
        {
            if (!_series.TryGetValue(key, out var series))
            {
                series = new Series(Labels(key), _isHistogram ? new long[bounds.Length + 1] : null);
                _series[key] = series;
            }

            if (series.Buckets is { } buckets)
            {
                buckets[BucketOf(value)]++;
                series.Sum += value;
                series.Count++;
            }
            else if (_keepsLastValue)
            {
                series.Value = value;
            }
            else
            {
                series.Value += value;
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _series.Clear();
        }
    }

    public MetricFamily Snapshot()
    {
        var name = PrometheusNames.Of(instrument.Name, instrument.Unit, _kind == "counter");
        var samples = new List<MetricSample>();
        lock (_lock)
        {
            foreach (var series in _series.Values)
            {
                if (series.Buckets is { } buckets)
                {
                    long cumulative = 0;
                    for (var i = 0; i < buckets.Length; i++)
                    {
                        cumulative += buckets[i];
                        var le = i < bounds.Length ? bounds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                        samples.Add(new MetricSample("_bucket", [.. series.Labels, new("le", le)], cumulative));
                    }

                    samples.Add(new MetricSample("_sum", series.Labels, series.Sum));
                    samples.Add(new MetricSample("_count", series.Labels, series.Count));
                }
                else
                {
                    samples.Add(new MetricSample(string.Empty, series.Labels, series.Value));
                }
            }
        }

        return new MetricFamily(name, _kind, instrument.Description ?? instrument.Name, samples);
    }

    private int BucketOf(double value)
    {
        var i = Array.BinarySearch(bounds, value);
        return i >= 0 ? i : ~i;
    }

    private static List<KeyValuePair<string, string>> Labels(in TagSet tags)
    {
        var labels = new List<KeyValuePair<string, string>>(tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            labels.Add(new(PrometheusNames.Label(tags[i].Key), Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty));
        }

        labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return labels;
    }

    private static string KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>))
        {
            return "counter";
        }

        return generic == typeof(Histogram<>) ? "histogram" : "gauge";
    }

    private sealed class Series(List<KeyValuePair<string, string>> labels, long[]? buckets)
    {
        public List<KeyValuePair<string, string>> Labels { get; } = labels;

        public long[]? Buckets { get; } = buckets;

        public double Value { get; set; }

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}

/// <summary>Prometheus naming: dots to underscores, unit suffixes (_seconds, _bytes), _total on counters.</summary>
internal static class PrometheusNames
{
    public static string Of(string instrumentName, string? unit, bool counter)
    {
        var name = Sanitize(instrumentName);
        var suffix = unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => string.Empty,
        };
        if (suffix.Length > 0 && !name.EndsWith(suffix, StringComparison.Ordinal))
        {
            name += suffix;
        }

        return counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    public static string Label(string tag) => Sanitize(tag);

    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
