using System.Globalization;
using Nuage.Server.Metrics;

namespace Nuage.Server.Autoscale;

/// <summary>One reading of an app: CPU seconds per serving instance (null when not measurable), the router's request
/// counter and its latency histogram (cumulative count per upper bound in seconds).</summary>
internal sealed record AutoscaleSnapshot(
    DateTimeOffset At, IReadOnlyDictionary<string, double?> CpuSeconds, double Requests, IReadOnlyDictionary<double, double> Buckets);

/// <summary>
/// The readings of one app over the metrics window. Rates are the difference between the newest reading and the
/// newest one at least a window old (the base). The sample is complete only when such a base exists and every
/// instance serving now was already serving in it: an instance that just started, or a server that just started,
/// yields no decision.
/// </summary>
internal sealed class AutoscaleWindow(TimeSpan window, TimeSpan interval)
{
    private readonly List<AutoscaleSnapshot> _snapshots = [];

    public void Add(AutoscaleSnapshot snapshot)
    {
        _snapshots.Add(snapshot);
        var keepFrom = snapshot.At - window - interval - interval;
        var baseIndex = _snapshots.FindLastIndex(s => s.At <= keepFrom);
        if (baseIndex > 0)
        {
            _snapshots.RemoveRange(0, baseIndex); // keep one reading older than needed, so a base always exists
        }
    }

    public AutoscaleSample Measure(DateTimeOffset now, IReadOnlyList<string> serving, int milliCpu)
    {
        var latest = _snapshots[^1];
        var older = now - window + (interval / 2); // ticks drift a little: accept a base half an interval short of the window
        var start = _snapshots.LastOrDefault(s => s.At <= older);
        if (start is null || !serving.All(start.CpuSeconds.ContainsKey) || latest.Requests < start.Requests)
        {
            return new AutoscaleSample(serving.Count, Complete: false, null, null, null);
        }

        var seconds = (latest.At - start.At).TotalSeconds;
        double? cpu = null;
        if (serving.All(id => latest.CpuSeconds.GetValueOrDefault(id) is not null && start.CpuSeconds[id] is not null))
        {
            var used = serving.Average(id => Math.Max(0, latest.CpuSeconds[id]!.Value - start.CpuSeconds[id]!.Value));
            cpu = used / seconds / (milliCpu / 1000.0) * 100;
        }

        var rps = (latest.Requests - start.Requests) / seconds;
        return new AutoscaleSample(serving.Count, Complete: true, cpu, rps, P99Ms(start.Buckets, latest.Buckets));
    }

    /// <summary>The upper bound (ms) of the first bucket holding the 99th percentile of the window's requests; null without requests.</summary>
    internal static double? P99Ms(IReadOnlyDictionary<double, double> before, IReadOnlyDictionary<double, double> after)
    {
        var deltas = after.OrderBy(b => b.Key).Select(b => (Le: b.Key, Count: b.Value - before.GetValueOrDefault(b.Key))).ToList();
        var total = deltas.Count > 0 ? deltas[^1].Count : 0;
        if (total <= 0)
        {
            return null;
        }

        var hit = deltas.First(d => d.Count >= 0.99 * total);
        var finite = deltas.Where(d => !double.IsPositiveInfinity(d.Le)).Select(d => d.Le).DefaultIfEmpty(0).Max();
        return (double.IsPositiveInfinity(hit.Le) ? finite : hit.Le) * 1000;
    }
}

/// <summary>The router's request counter and latency histogram per app id, from one collection of the meters.</summary>
internal sealed class RouterReading
{
    private readonly Dictionary<string, double> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<double, double>> _buckets = new(StringComparer.Ordinal);

    public static RouterReading From(IReadOnlyList<MetricFamily> families)
    {
        var reading = new RouterReading();
        foreach (var family in families)
        {
            foreach (var sample in family.Samples)
            {
                if (sample.Label("app") is not { } app)
                {
                    continue;
                }

                if (family.Name == "nuage_router_requests_total")
                {
                    reading._requests[app] = reading._requests.GetValueOrDefault(app) + sample.Value;
                }
                else if (family.Name == "nuage_router_request_duration_seconds" && sample.Suffix == "_bucket" && sample.Label("le") is { } le)
                {
                    var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                    var buckets = reading._buckets.TryGetValue(app, out var b) ? b : reading._buckets[app] = [];
                    buckets[bound] = buckets.GetValueOrDefault(bound) + sample.Value;
                }
            }
        }

        return reading;
    }

    public double Requests(string appId) => _requests.GetValueOrDefault(appId);

    public IReadOnlyDictionary<double, double> Buckets(string appId) =>
        _buckets.TryGetValue(appId, out var buckets) ? buckets : new Dictionary<double, double>();
}
