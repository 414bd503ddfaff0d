using System.Diagnostics.Metrics;
using Nuage.Router.Routing;

namespace Nuage.Router.Metrics;

/// <summary>
/// Instruments of the <c>Nuage.Router</c> meter, all tagged with <c>app</c> (the app id). The server exports them
/// (Prometheus text at /metrics) with a MeterListener or OpenTelemetry.
/// </summary>
internal sealed class RouterMetrics : IDisposable
{
    public const string MeterName = "Nuage.Router";

    private static readonly KeyValuePair<string, object?>[] StatusClasses =
    [
        new("status_class", "1xx"), new("status_class", "2xx"), new("status_class", "3xx"),
        new("status_class", "4xx"), new("status_class", "5xx"),
    ];

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Counter<long> _accessLogDropped;
    private readonly Counter<long> _cacheLookups;

    public RouterMetrics(Func<RouteTableState> table, IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("nuage.router.requests", "{request}", "Requests answered, by app and status class.");
        _duration = _meter.CreateHistogram<double>(
            "nuage.router.request.duration", "s", "Time from request start to response end, by app.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _inFlight = _meter.CreateUpDownCounter<long>("nuage.router.requests.in_flight", "{request}", "Requests being forwarded, by app.");
        _cacheLookups = _meter.CreateCounter<long>("nuage.router.cache.lookups", "{request}", "Requests to apps with a response cache, by app and outcome (hit, miss, bypass).");
        _accessLogDropped = _meter.CreateCounter<long>("nuage.router.access_log.dropped", "{record}", "Access-log records dropped because the sink fell behind.");
        _meter.CreateObservableGauge(
            "nuage.router.instances.healthy",
            () => table().Apps.Select(a => new Measurement<int>(a.HealthyCount, a.AppTag)),
            "{instance}",
            "Instances that receive traffic (published, not ejected by passive health), by app.");
    }

    public bool Enabled => _requests.Enabled || _duration.Enabled || _inFlight.Enabled;

    public void RequestStarted(in KeyValuePair<string, object?> app)
    {
        if (_inFlight.Enabled)
        {
            _inFlight.Add(1, app);
        }
    }

    public void RequestEnded(in KeyValuePair<string, object?> app, int status, TimeSpan elapsed)
    {
        if (_inFlight.Enabled)
        {
            _inFlight.Add(-1, app);
        }

        if (_requests.Enabled)
        {
            var statusClass = StatusClasses[Math.Clamp(status / 100, 1, 5) - 1];
            _requests.Add(1, app, statusClass);
        }

        if (_duration.Enabled)
        {
            _duration.Record(elapsed.TotalSeconds, app);
        }
    }

    public void CacheLookup(in KeyValuePair<string, object?> app, Flow.CacheOutcome outcome) =>
        _cacheLookups.Add(1, app, new KeyValuePair<string, object?>("outcome", outcome switch
        {
            Flow.CacheOutcome.Hit => "hit",
            Flow.CacheOutcome.Miss => "miss",
            Flow.CacheOutcome.Revalidated => "revalidated",
            _ => "bypass",
        }));

    public void AccessLogDropped(long count = 1) => _accessLogDropped.Add(count);

    public void Dispose() => _meter.Dispose();
}
