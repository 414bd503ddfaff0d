using Microsoft.Extensions.Time.Testing;
using Nuage.Core.Logging;
using Nuage.Logs.Drains;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Drains;

public sealed class RetentionOvertakesDrainTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task StalledDrain_WhenRetentionDeletedItsBacklog_WritesPlatformEventWithExactCount()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var store = new LogStore(new LogStoreOptions { Directory = _dir.Sub("store"), RetentionAge = TimeSpan.FromHours(1) }, time);
        await using var drains = new DrainManager(store, DrainDefinitions.Open(_dir), new DrainOptions { AllowPrivateDestinations = true });
        using var receiver = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        var drain = await drains.CreateAsync(new DrainSpec { AppId = "shop", Type = DrainTypes.SyslogUdp, Url = $"udp://127.0.0.1:{port}" });
        await drains.SetEnabledAsync("shop", drain.Id, enabled: false);
        for (var i = 0; i < 37; i++)
        {
            store.Sink.Write(new LogRecord(default, "shop", LogSource.App, $"old {i}"));
        }

        await store.FlushAsync("shop");
        time.Advance(TimeSpan.FromHours(2));
        store.Sink.Write(new LogRecord(default, "shop", LogSource.App, "kept"));
        await store.FlushAsync("shop");
        await store.RunRetentionAsync();

        await drains.SetEnabledAsync("shop", drain.Id, enabled: true);

        DrainStatus status = null!;
        await Wait.UntilAsync(async () => (status = await drains.GetAsync("shop", drain.Id)).Backlog == 0 && status.Missed > 0 && status.Delivered == 2, "the drain to catch up (kept line and the platform event)");
        Assert.Equal(37, status.Missed);
        var events = await store.QueryAsync("shop", new LogQuery { Filter = new LogFilter { Source = LogSource.Platform } });
        Assert.Contains($"Log drain {drain.Id} (syslog-udp) missed 37 log lines (sequences 1 to 37)", Assert.Single(events).Record.Message, StringComparison.Ordinal);
        Assert.Equal(2, status.Delivered);
    }

    public void Dispose() => _dir.Dispose();
}
