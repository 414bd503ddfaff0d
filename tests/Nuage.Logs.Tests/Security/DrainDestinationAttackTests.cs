using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Nuage.Core.Errors;
using Nuage.Core.Logging;
using Nuage.Core.State;
using Nuage.Logs.Drains;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Security;

/// <summary>
/// A developer points a drain at something only the server can reach (SSRF): loopback services, the server's own
/// listeners, cloud metadata (link-local), and reads what they answer through lastError or probes ports with it.
/// The "internal service" is a real Kestrel on 127.0.0.1:0 whose answer holds a secret.
/// </summary>
public sealed class DrainDestinationAttackTests : IAsyncLifetime
{
    private const string Secret = "TOP-SECRET-7c1e5a90-internal-body";
    private readonly TempDir _dir = new();
    private LogStore _store = null!;
    private IDrainStore _definitions = null!;
    private WebApplication _internal = null!;
    private int _requests;

    private int InternalPort => new Uri(_internal.Urls.First()).Port;

    public async Task InitializeAsync()
    {
        _store = new LogStore(new LogStoreOptions { Directory = _dir.Sub("store") });
        _definitions = DrainDefinitions.Open(_dir);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _internal = builder.Build();
        _internal.Run(async http =>
        {
            Interlocked.Increment(ref _requests);
            http.Response.StatusCode = 500;
            await http.Response.WriteAsync(Secret);
        });
        await _internal.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _internal.DisposeAsync();
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private DrainManager Drains(bool allowPrivate = false, IPEndPoint? ownListener = null) => new(_store, _definitions, new DrainOptions
    {
        AllowPrivateDestinations = allowPrivate,
        OwnEndpoints = () => ownListener is null ? [] : [ownListener],
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        Timeout = TimeSpan.FromSeconds(5),
    });

    private static async Task<FieldError> RefusedAsync(DrainManager drains, string type, string url)
    {
        var ex = await Assert.ThrowsAsync<NuageException>(() => drains.CreateAsync(new DrainSpec { AppId = "shop", Type = type, Url = url }));
        Assert.Equal("invalid_drain", ex.Code);
        return Assert.Single(ex.Errors, e => e.Field == "url");
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/")]
    [InlineData("http://[::1]:{0}/")]
    [InlineData("http://localhost:{0}/")]
    [InlineData("http://app.localhost:{0}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/")]
    [InlineData("http://10.1.2.3:{0}/")]
    [InlineData("http://192.168.1.10:{0}/")]
    [InlineData("http://100.64.0.1:{0}/")]
    [InlineData("http://[fd00::1]:{0}/")]
    public async Task Drain_ToLoopbackOrPrivateAddress_IsRefusedAtCreationByDefault(string template)
    {
        await using var drains = Drains();
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, InternalPort);

        var error = await RefusedAsync(drains, DrainTypes.Http, url);

        Assert.Contains("--allow-private-drains", error.Message, StringComparison.Ordinal);
        Assert.Empty(await drains.ListAsync("shop"));
        Assert.Equal(0, Volatile.Read(ref _requests));
    }

    [Theory]
    [InlineData(DrainTypes.Http, "http://169.254.169.254/latest/meta-data/")]
    [InlineData(DrainTypes.SyslogTcp, "tcp://169.254.10.20:514")]
    [InlineData(DrainTypes.SyslogUdp, "udp://0.0.0.0:514")]
    [InlineData(DrainTypes.Http, "http://[fe80::1]:80/")]
    public async Task Drain_ToLinkLocalOrUnspecified_IsRefusedEvenWhenPrivateIsAllowed(string type, string url)
    {
        await using var drains = Drains(allowPrivate: true);

        var error = await RefusedAsync(drains, type, url);

        Assert.Contains("link-local", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/v1/apps")]
    [InlineData("http://localhost:{0}/v1/apps")]
    public async Task Drain_ToServersOwnListener_IsRefusedEvenWhenPrivateIsAllowed(string template)
    {
        await using var drains = Drains(allowPrivate: true, ownListener: new IPEndPoint(IPAddress.Loopback, InternalPort));

        var error = await RefusedAsync(drains, DrainTypes.Http, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, InternalPort));

        Assert.Contains("listener of this Nuage server", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref _requests));
    }

    /// <summary>
    /// DNS rebinding: the name resolved to a public address when the drain was created and resolves to loopback now.
    /// Stored directly (as creation would have accepted it); every connect must check what the name resolves to.
    /// </summary>
    [Theory]
    [InlineData(DrainTypes.Http, "http://localhost:{0}/")]
    [InlineData(DrainTypes.SyslogTcp, "tcp://localhost:{0}")]
    public async Task Drain_WhoseNameResolvesToLoopbackAtConnect_NeverConnects(string type, string template)
    {
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, InternalPort);
        await _definitions.InsertAsync(new DrainRecord { Id = "drain-rebound", AppId = "shop", AppName = "shop", Type = type, Url = url, CreatedAt = DateTimeOffset.UtcNow }, default);
        await using var drains = Drains();
        await drains.StartAsync();

        _store.Sink.Write(new LogRecord(default, "shop", LogSource.App, "hello"));
        DrainStatus status = null!;
        await Wait.UntilAsync(async () => (status = await drains.GetAsync("shop", "drain-rebound")).LastError is not null, "the drain's refusal");

        Assert.StartsWith("destination refused: localhost resolves to", status.LastError, StringComparison.Ordinal);
        Assert.Equal(0, status.Delivered);
        Assert.Equal(0, Volatile.Read(ref _requests));
    }

    [Fact]
    public async Task Drain_ToServiceAnsweringWithSecretBody_ShowsStatusCodeOnly()
    {
        await using var drains = Drains(allowPrivate: true);
        var drain = await drains.CreateAsync(new DrainSpec { AppId = "shop", Type = DrainTypes.Http, Url = $"http://127.0.0.1:{InternalPort}/" });

        _store.Sink.Write(new LogRecord(default, "shop", LogSource.App, "hello"));
        DrainStatus status = null!;
        await Wait.UntilAsync(async () => (status = await drains.GetAsync("shop", drain.Id)).LastError is not null, "the drain's error");

        Assert.Equal($"127.0.0.1:{InternalPort} answered HTTP 500 (InternalServerError)", status.LastError);
        Assert.DoesNotContain(Secret, System.Text.Json.JsonSerializer.Serialize(await drains.ListAsync("shop")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_ToClosedPortAndToOpenNonHttpPort_ReportTheSameError()
    {
        using var open = new TcpListener(IPAddress.Loopback, 0);
        open.Start();
        var openPort = ((IPEndPoint)open.LocalEndpoint).Port;
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await open.AcceptTcpClientAsync();
                await client.GetStream().WriteAsync("SSH-2.0-OpenSSH_9.2\r\n"u8.ToArray());
            }
        });
        var closedPort = Ports.Free();
        await using var drains = Drains(allowPrivate: true);
        var toOpen = await drains.CreateAsync(new DrainSpec { AppId = "shop", Type = DrainTypes.Http, Url = $"http://127.0.0.1:{openPort}/" });
        var toClosed = await drains.CreateAsync(new DrainSpec { AppId = "shop", Type = DrainTypes.Http, Url = $"http://127.0.0.1:{closedPort}/" });

        _store.Sink.Write(new LogRecord(default, "shop", LogSource.App, "probe"));
        string? openError = null, closedError = null;
        await Wait.UntilAsync(async () =>
        {
            openError = (await drains.GetAsync("shop", toOpen.Id)).LastError;
            closedError = (await drains.GetAsync("shop", toClosed.Id)).LastError;
            return openError is not null && closedError is not null;
        }, "both drains' errors");

        Assert.Equal($"127.0.0.1:{openPort}: connection failed", openError);
        Assert.Equal($"127.0.0.1:{closedPort}: connection failed", closedError);
    }
}
