using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Nuage.Server.Metrics;

/// <summary>The aggregated series of one instrument, keyed by their tag set.</summary>
internal sealed class InstrumentSeries(Instrument instrument, double[] bounds)
{
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly string _kind = KindOf(instrument);

    public bool IsObservable => instrument.IsObservable;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var key = string.Join('\u0001', labels.Select(l => l.Key + "=" + l.Value));
        lock (_lock)
        {
            if (!_series.TryGetValue(key, out var series))
            {
                series = new Series(labels, _kind == "histogram" ? new long[bounds.Length + 1] : null);
                _series[key] = series;
            }

            switch (_kind)
            {
                case "histogram":
                    series.Buckets![BucketOf(value)]++;
                    series.Sum += value;
                    series.Count++;
                    break;
                case "gauge" when instrument.IsObservable || instrument is Gauge<double> or Gauge<long> or Gauge<int>:
                    series.Value = value;
                    break;
                default:
                    series.Value += value;
                    break;
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

    private static List<KeyValuePair<string, string>> Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new List<KeyValuePair<string, string>>(tags.Length);
        foreach (var tag in tags)
        {
            labels.Add(new(PrometheusNames.Label(tag.Key), Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty));
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
