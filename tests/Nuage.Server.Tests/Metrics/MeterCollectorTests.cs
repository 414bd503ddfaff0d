using System.Diagnostics.Metrics;
using Nuage.Server.Metrics;

namespace Nuage.Server.Tests.Metrics;

public sealed class MeterCollectorTests
{
    [Fact]
    public void Collect_AggregatesCountersGaugesAndHistograms_InPrometheusNaming()
    {
        using var meters = new PlatformMeters();
        using var collector = new MeterCollector(meters);
        var meter = meters.Create(new MeterOptions("Test.Meter"));
        var counter = meter.CreateCounter<long>("test.requests", "{request}", "Requests");
        var inFlight = meter.CreateUpDownCounter<long>("test.in_flight");
        var duration = meter.CreateHistogram<double>("test.duration", "s", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        meter.CreateObservableGauge("test.memory", () => new Measurement<long>(42, new KeyValuePair<string, object?>("app", "a")), "By");

        counter.Add(2, new KeyValuePair<string, object?>("app", "a"));
        counter.Add(3, new KeyValuePair<string, object?>("app", "a"));
        inFlight.Add(1);
        inFlight.Add(1);
        inFlight.Add(-1);
        duration.Record(0.05);
        duration.Record(0.5);
        duration.Record(7);
        var text = PrometheusText.Write(collector.Collect());

        Assert.Contains("# TYPE test_requests_total counter\ntest_requests_total{app=\"a\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE test_in_flight gauge\ntest_in_flight 1\n", text, StringComparison.Ordinal);
        Assert.Contains("test_memory_bytes{app=\"a\"} 42\n", text, StringComparison.Ordinal);
        Assert.Contains(
            "test_duration_seconds_bucket{le=\"0.1\"} 1\ntest_duration_seconds_bucket{le=\"1\"} 2\ntest_duration_seconds_bucket{le=\"+Inf\"} 3\ntest_duration_seconds_sum 7.55\ntest_duration_seconds_count 3\n",
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Series_AreKeyedByTheirTagSet_WhateverTheTagOrder_WithMoreThanThreeTagsToo()
    {
        using var meters = new PlatformMeters();
        using var collector = new MeterCollector(meters);
        var counter = meters.Create(new MeterOptions("Test.Meter")).CreateCounter<long>("test.requests");
        KeyValuePair<string, object?> App(string name) => new("app", name);
        var ok = new KeyValuePair<string, object?>("status_class", "2xx");

        counter.Add(1, App("a"), ok);
        counter.Add(1, ok, App("a"));
        counter.Add(1, App("b"), ok);
        counter.Add(1, new("d", 4), new("c", 3), new("b", 2), new("a", 1));
        counter.Add(1, new("a", 1), new("b", 2), new("c", 3), new("d", 4));
        counter.Add(1, new("a", 1), new("b", 2), new("c", 3), new("d", 5));
        var text = PrometheusText.Write(collector.Collect());

        Assert.Contains("test_requests_total{app=\"a\",status_class=\"2xx\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("test_requests_total{app=\"b\",status_class=\"2xx\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("test_requests_total{a=\"1\",b=\"2\",c=\"3\",d=\"4\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("test_requests_total{a=\"1\",b=\"2\",c=\"3\",d=\"5\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_IgnoresMetersOfAnotherFactory()
    {
        using var mine = new PlatformMeters();
        using var other = new PlatformMeters();
        using var collector = new MeterCollector(mine);
        other.Create(new MeterOptions("Test.Meter")).CreateCounter<long>("test.other").Add(1);

        Assert.Empty(collector.Collect());
    }

    [Fact]
    public void LabelValues_AreEscaped()
    {
        var text = PrometheusText.Write([new MetricFamily("m", "gauge", "help\nline", [new MetricSample(string.Empty, [new("l", "a\"b\\c\nd")], 1)])]);

        Assert.Equal("# HELP m help\\nline\n# TYPE m gauge\nm{l=\"a\\\"b\\\\c\\nd\"} 1\n", text);
    }

    [Fact]
    public void Quantile_IsTheUpperBoundOfTheBucketHoldingIt()
    {
        IReadOnlyList<MetricSample> buckets =
        [
            new("_bucket", [new("le", "0.1")], 90), new("_bucket", [new("le", "1")], 99), new("_bucket", [new("le", "+Inf")], 100),
        ];

        Assert.Equal(0.1, MetricsSummary.Quantile(buckets, 0.5));
        Assert.Equal(1, MetricsSummary.Quantile(buckets, 0.99));
        Assert.Equal(1, MetricsSummary.Quantile(buckets, 1));
        Assert.Null(MetricsSummary.Quantile([], 0.5));
    }
}
