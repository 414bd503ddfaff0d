using Nuage.Core.Logging;
using Nuage.Logs.Drains;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Drains;

/// <summary>Syslog drains against a real rsyslogd (UDP, TCP octet-counted, TLS with a generated CA).</summary>
public sealed class SyslogDrainTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private RsyslogPeer _rsyslog = null!;
    private LogStore _store = null!;
    private DrainManager _drains = null!;

    public async Task InitializeAsync()
    {
        _rsyslog = await RsyslogPeer.StartAsync(_dir.Sub("rsyslog"));
        _store = new LogStore(new LogStoreOptions { Directory = _dir.Sub("store") });
        _drains = new DrainManager(_store, DrainDefinitions.Open(_dir), new DrainOptions
        {
            AllowPrivateDestinations = true,
            Hostname = "nuage-test-host",
            TrustedCaFile = _rsyslog.CaFile,
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromMilliseconds(500),
            BatchSize = 50,
        });
    }

    public async Task DisposeAsync()
    {
        await _drains.DisposeAsync();
        await _store.DisposeAsync();
        await _rsyslog.DisposeAsync();
        _dir.Dispose();
    }

    private void Write(string message, string stream = "stdout") =>
        _store.Sink.Write(new LogRecord(default, "shop", LogSource.App, message, "web-1", "dep-42", stream));

    private static async Task<IReadOnlyList<string[]>> WaitForLinesAsync(string file, int count)
    {
        IReadOnlyList<string[]> lines = [];
        await Wait.UntilAsync(() => Task.FromResult((lines = RsyslogPeer.ReadFields(file)).Count >= count), $"{count} lines in {Path.GetFileName(file)}");
        return lines;
    }

    [Theory]
    [InlineData(DrainTypes.SyslogUdp)]
    [InlineData(DrainTypes.SyslogTcp)]
    [InlineData(DrainTypes.SyslogTls)]
    public async Task Drain_ToRsyslog_DeliversRfc5424FieldsAndStructuredData(string type)
    {
        var (url, file) = type switch
        {
            DrainTypes.SyslogUdp => ($"udp://127.0.0.1:{_rsyslog.UdpPort}", _rsyslog.UdpFile),
            DrainTypes.SyslogTcp => ($"tcp://127.0.0.1:{_rsyslog.TcpPort}", _rsyslog.TcpFile),
            _ => ($"tls://localhost:{_rsyslog.TlsPort}", _rsyslog.TlsFile),
        };
        var drain = await _drains.CreateAsync(new DrainSpec
        {
            AppId = "shop", AppName = "shop-front", Type = type, Url = url, SdParams = "env=\"prod\" team=payments",
        });

        Write("hello from stdout");
        Write("boom on stderr ] \"quoted\"", "stderr");
        IReadOnlyList<string[]> lines = [];
        string? lastError = null;
        await Wait.UntilAsync(async () =>
        {
            lines = RsyslogPeer.ReadFields(file);
            lastError = (await _drains.GetAsync("shop", drain.Id)).LastError;
            return lines.Count >= 2;
        }, "2 lines at rsyslog", describe: () => $"drain's last error: {lastError}");

        var info = lines[0];
        Assert.Equal("14", info[0]); // facility user (1) * 8 + info (6)
        Assert.Equal("nuage-test-host", info[1]);
        Assert.Equal("shop-front", info[2]);
        Assert.Equal("web-1", info[3]);
        Assert.Equal("app", info[4]);
        Assert.Equal("[nuage@32473 app=\"shop\" instance=\"web-1\" deployment=\"dep-42\" seq=\"1\" env=\"prod\" team=\"payments\"]", info[5]);
        Assert.Equal("hello from stdout", info[6].Trim());
        Assert.Equal("11", lines[1][0]); // user * 8 + err (3)
        Assert.Equal("boom on stderr ] \"quoted\"", lines[1][6].Trim());
        // Delivered counts what the receiver acknowledged, which may trail its file by a moment.
        var status = await _drains.GetAsync("shop", drain.Id);
        await Wait.UntilAsync(async () => (status = await _drains.GetAsync("shop", drain.Id)).Delivered == 2, "delivered 2",
            describe: () => $"delivered {status.Delivered}, state {status.State}, last error {status.LastError}");
        Assert.Equal(2, status.Delivered);
        Assert.Equal(0, status.Backlog);
    }

    [Fact]
    public async Task TcpDrain_WhenRsyslogStopsAndRestarts_EveryLineArrivesAtLeastOnceInOrder()
    {
        await _drains.CreateAsync(new DrainSpec { AppId = "shop", Type = DrainTypes.SyslogTcp, Url = $"tcp://127.0.0.1:{_rsyslog.TcpPort}" });
        const int total = 600;
        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= total; i++)
            {
                Write($"line {i}");
                await Task.Delay(5);
            }
        });
        await WaitForLinesAsync(_rsyslog.TcpFile, 50);

        await _rsyslog.StopProcessAsync();
        await Task.Delay(1000);
        await _rsyslog.StartProcessAsync();
        await writer;

        var received = new List<int>();
        await Wait.UntilAsync(() =>
        {
            received = RsyslogPeer.ReadFields(_rsyslog.TcpFile).Select(f => int.Parse(f[6].Trim()[5..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            return Task.FromResult(received.Distinct().Count() == total);
        }, "every line after the outage", seconds: 60);

        var firstSeen = received.Distinct().ToList();
        Assert.Equal(Enumerable.Range(1, total), firstSeen);
    }
}
