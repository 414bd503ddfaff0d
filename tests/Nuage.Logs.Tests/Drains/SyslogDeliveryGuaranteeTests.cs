using System.Globalization;
using Nuage.Core.Logging;
using Nuage.Logs.Drains;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Drains;

/// <summary>
/// syslog-tcp promises no gaps (docs/logs.md): a line counts as delivered only once the receiver acknowledged it, and
/// a receiver that resets with unread data gets it again. The receiver is a fault-injecting peer (see its summary).
/// </summary>
public sealed class SyslogDeliveryGuaranteeTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private LogStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new LogStore(new LogStoreOptions { Directory = _dir.Sub("store") });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private DrainManager Drains(TimeSpan? writeTimeout = null) => new(_store, DrainDefinitions.Open(_dir), new DrainOptions
    {
        AllowPrivateDestinations = true,
        BatchSize = 50,
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
        WriteTimeout = writeTimeout ?? TimeSpan.FromSeconds(30),
        StallAfter = writeTimeout ?? TimeSpan.FromSeconds(60),
    });

    private void Write(int i) =>
        _store.Sink.Write(new LogRecord(default, "shop", LogSource.App, $"line {i} " + new string('x', 150)));

    private static int LineNumber(string message)
    {
        var text = message[(message.IndexOf("line ", StringComparison.Ordinal) + 5)..];
        return int.Parse(text[..text.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task TcpDrain_WhenReceiverStopsReadingThenResets_EveryLineArrivesAndDeliveredMatches()
    {
        await using var peer = new FaultInjectingSyslogPeer(stopReadingAfter: 500);
        await using var drains = Drains();
        var drain = await drains.CreateAsync(new DrainSpec { AppId = "shop", Type = DrainTypes.SyslogTcp, Url = $"tcp://127.0.0.1:{peer.Port}" });
        const int total = 5000;

        for (var i = 1; i <= total; i++)
        {
            Write(i);
        }

        await Wait.UntilAsync(() => Task.FromResult(peer.Messages.Select(LineNumber).Distinct().Count() == total), $"all {total} lines at the receiver", seconds: 120,
            describe: () => $"received {peer.Messages.Count} ({peer.Messages.Select(LineNumber).Distinct().Count()} distinct), connections {peer.Connections}, dropped by reset {peer.BytesDroppedByReset} bytes");
        await Wait.UntilAsync(async () => (await drains.GetAsync("shop", drain.Id)).Backlog == 0, "backlog 0");

        var received = peer.Messages.Select(LineNumber).ToList();
        var status = await drains.GetAsync("shop", drain.Id);
        Assert.True(peer.BytesDroppedByReset > 0, "the fault was injected: the reset dropped unread bytes");
        Assert.True(peer.Connections >= 2);
        Assert.Equal(Enumerable.Range(1, total), received.Distinct().Order());
        Assert.Equal(total, status.Delivered);
        Assert.Equal(DrainStates.Ok, status.State);
        Assert.True(received.Count >= total, $"duplicates after the reset: {received.Count - total}");
    }

    [Fact]
    public async Task TcpDrain_WhenReceiverNeverReads_ShowsStalledAndDoesNotCountLinesAsDelivered()
    {
        await using var peer = new FaultInjectingSyslogPeer(neverRead: true);
        await using var drains = Drains(writeTimeout: TimeSpan.FromSeconds(2));
        var drain = await drains.CreateAsync(new DrainSpec { AppId = "shop", Type = DrainTypes.SyslogTcp, Url = $"tcp://127.0.0.1:{peer.Port}" });

        for (var i = 1; i <= 20_000; i++)
        {
            Write(i);
        }

        DrainStatus status = null!;
        await Wait.UntilAsync(async () => (status = await drains.GetAsync("shop", drain.Id)).State == DrainStates.Stalled, "the stalled state", seconds: 60,
            describe: () => $"state {status.State}, delivered {status.Delivered}, backlog {status.Backlog}, last error {status.LastError}");
        await Wait.UntilAsync(async () => (status = await drains.GetAsync("shop", drain.Id)).LastError?.StartsWith("stalled", StringComparison.Ordinal) == true,
            "a stalled last error", seconds: 60, describe: () => $"last error {status.LastError}");

        Assert.True(status.Backlog > 0);
        Assert.True(status.Delivered + status.Backlog == 20_000);
        Assert.True(status.Delivered < 20_000, $"delivered {status.Delivered} of lines nobody read");
    }
}
