using Nuage.Core.Logging;
using Nuage.Logs.Drains;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;
using Nuage.Tests.Shared;

namespace Nuage.Logs.Tests.Drains;

/// <summary>The otlp drain against a real OTLP/HTTP receiver: the Aspire dashboard, read back through its telemetry API.</summary>
public sealed class OtlpDrainAspireDashboardTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private AspireDashboard _dashboard = null!;

    public async Task InitializeAsync() => _dashboard = await AspireDashboard.StartAsync();

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task OtlpDrain_ToAspireDashboard_RecordsArriveWithAppInstanceAndDeploymentResourceAttributes()
    {
        await using var store = new LogStore(new LogStoreOptions { Directory = _dir.Sub("store") });
        await using var drains = new DrainManager(store, DrainDefinitions.Open(_dir), new DrainOptions { AllowPrivateDestinations = true, BatchSize = 4 });
        var drain = await drains.CreateAsync(new DrainSpec
        {
            AppId = "shop", AppName = "shop-front", Type = DrainTypes.Otlp, Url = _dashboard.OtlpHttpUrl,
        });
        const string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        for (var i = 1; i <= 5; i++)
        {
            store.Sink.Write(new LogRecord(default, "shop", LogSource.App, $"web line {i}", "web-1", "dep-1", "stdout", i == 3 ? trace : null));
        }

        for (var i = 1; i <= 3; i++)
        {
            store.Sink.Write(new LogRecord(default, "shop", LogSource.App, $"worker line {i}", "worker-1", "dep-2", "stderr"));
        }

        await store.FlushAsync("shop");

        var logs = await _dashboard.UntilAsync(d => d.LogsAsync(), l => l.Count >= 8, "8 log records");
        var status = await drains.GetAsync("shop", drain.Id);
        Assert.Equal(8, status.Delivered);
        Assert.Null(status.LastError);
        Assert.Equal(8, logs.Count);
        Assert.All(logs, l => Assert.Equal("shop-front", l.Resource["service.name"]));
        Assert.All(logs, l => Assert.Equal("shop", l.Resource["nuage.app.id"]));

        var web = logs.Where(l => l.Resource["service.instance.id"] == "web-1").ToList();
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"web line {i}"), web.Select(l => l.Body));
        Assert.All(web, l => Assert.Equal("dep-1", l.Resource["nuage.deployment.id"]));
        Assert.All(web, l => Assert.Equal("stdout", l.Attributes["log.iostream"]));
        Assert.Equal(trace, web.Single(l => l.Body == "web line 3").TraceId);

        var worker = logs.Where(l => l.Resource["service.instance.id"] == "worker-1").ToList();
        Assert.Equal(Enumerable.Range(1, 3).Select(i => $"worker line {i}"), worker.Select(l => l.Body));
        Assert.All(worker, l => Assert.Equal("dep-2", l.Resource["nuage.deployment.id"]));
        Assert.All(worker, l => Assert.Equal("stderr", l.Attributes["log.iostream"]));
        Assert.All(logs, l => Assert.Equal("app", l.Attributes["nuage.source"]));
    }
}
