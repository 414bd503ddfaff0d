using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Nuage.Core.Logging;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests;

public sealed class AccessLogAndMetricsTests
{
    [Fact]
    public async Task Request_IsWrittenToTheSinkAsOneAccessRecord()
    {
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("web", backend));
        using var request = new HttpRequestMessage(HttpMethod.Get, router.Url("web.localhost", "/chunked?secret=1"));
        request.Headers.Add("X-Request-Id", "rid-1");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        using var response = await router.CreateClient().SendAsync(request);
        var record = await WaitForRecordAsync(router.Sink, r => r.Message.Contains("rid-1", StringComparison.Ordinal));

        Assert.Equal(LogSource.Access, record.Source);
        Assert.Equal("app-web", record.AppId);
        Assert.Equal(backend.Endpoint.InstanceId, record.InstanceId);
        Assert.Equal("dep-web", record.DeploymentId);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", record.TraceId);
        Assert.Matches(@"^method=GET path=/chunked status=200 bytes=7 duration_ms=[0-9.]+ request_id=rid-1 instance=", record.Message);
        Assert.DoesNotContain("secret", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_AreCountedByAppAndStatusClass_AndTimed()
    {
        // Routers of tests running in parallel share the meter name: this test's app names are unique to it.
        await using var backend = await TestBackend.StartAsync("a");
        await using var router = await TestRouter.StartAsync();
        router.Router.Publish(TestRouter.Route("metrics-web", backend));
        router.Router.Publish(TestRouter.Route("metrics-down") with { State = RouteState.Stopped });
        var counts = new ConcurrentDictionary<string, long>();
        var durations = new ConcurrentBag<double>();
        var healthy = new ConcurrentDictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NuageRouter.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "nuage.router.requests")
            {
                counts.AddOrUpdate($"{Tag(tags, "app")} {Tag(tags, "status_class")}", value, (_, n) => n + value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "nuage.router.request.duration" && Tag(tags, "app").StartsWith("app-metrics-", StringComparison.Ordinal))
            {
                durations.Add(value);
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => healthy[Tag(tags, "app")] = value);
        listener.Start();
        var client = router.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync(router.Url("metrics-web.localhost"))).Dispose();
        }

        (await client.GetAsync(router.Url("metrics-down.localhost"))).Dispose();
        listener.RecordObservableInstruments();

        Assert.Equal(3, counts.GetValueOrDefault("app-metrics-web 2xx"));
        Assert.Equal(1, counts.GetValueOrDefault("app-metrics-down 5xx"));
        Assert.Equal(4, durations.Count);
        Assert.Equal(1, healthy.GetValueOrDefault("app-metrics-web"));
        Assert.Equal(0, healthy.GetValueOrDefault("app-metrics-down", -1));
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? string.Empty;
            }
        }

        return string.Empty;
    }

    private static async Task<LogRecord> WaitForRecordAsync(MemoryLogSink sink, Func<LogRecord, bool> match)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var found = sink.Records.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new Xunit.Sdk.XunitException("no matching access record within 10 s");
    }
}
