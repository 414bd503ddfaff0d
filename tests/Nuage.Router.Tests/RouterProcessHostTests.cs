using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Nuage.Core.Paths;
using Nuage.Core.Routing;
using Nuage.Router.Standalone;
using Nuage.Router.Tests.Support;

namespace Nuage.Router.Tests;

/// <summary>
/// The router as its own process (<c>nuage router</c>), hosted here in the test process: a real Kestrel listener, a real Unix
/// control socket and snapshot file under a temporary data root, real backends.
/// </summary>
public sealed class RouterProcessHostTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("nuage-router-").FullName;
    private TestBackend? _backend;

    private NuagePaths Paths => new(_root);

    public async Task InitializeAsync() => _backend = await TestBackend.StartAsync("web");

    public async Task DisposeAsync()
    {
        await _backend!.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task SnapshotSentOnTheSocket_IsServed_Persisted_AndServedAgainByANewRouterAlone()
    {
        var snapshot = Snapshot(1, 1, Route("web", _backend!.Endpoint));
        int port;
        await using (var host = await StartAsync())
        {
            port = host.Router.HttpAddresses[0].Port;
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(port, "web.localhost")).Status);
            var reply = await SendAsync(new RouterRequest(RouterOperations.Snapshot) { Snapshot = snapshot });
            Assert.True(reply.Applied);
            Assert.Equal(new SnapshotGeneration(1, 1), reply.Generation);
            Assert.Equal((HttpStatusCode.OK, "web"), await GetAsync(port, "web.localhost"));
            Assert.True(File.Exists(Path.Combine(Paths.RouterRun, Paths.RouterSnapshotFileName)));
        }

        // No server: the next router serves the saved snapshot from its first request.
        await using (var alone = await StartAsync(port))
        {
            Assert.Equal((HttpStatusCode.OK, "web"), await GetAsync(port, "web.localhost"));
            var status = await SendAsync(new RouterRequest(RouterOperations.Status));
            Assert.Equal(new SnapshotGeneration(1, 1), status.Generation);
            Assert.Equal(Environment.ProcessId, status.Pid);
        }
    }

    [Fact]
    public async Task OlderGeneration_IsRefused_AndNeitherServedNorPersisted()
    {
        await using var host = await StartAsync();
        var port = host.Router.HttpAddresses[0].Port;
        Assert.True((await SendAsync(new RouterRequest(RouterOperations.Snapshot) { Snapshot = Snapshot(2, 1, Route("web", _backend!.Endpoint)) })).Applied);

        // A server of epoch 1 (being replaced) sends a later sequence number: still older than epoch 2.
        var stale = await SendAsync(new RouterRequest(RouterOperations.Snapshot) { Snapshot = Snapshot(1, 99) });
        Assert.False(stale.Applied);
        Assert.Equal(new SnapshotGeneration(2, 1), stale.Generation);
        Assert.Equal((HttpStatusCode.OK, "web"), await GetAsync(port, "web.localhost"));
        var saved = File.ReadAllText(Path.Combine(Paths.RouterRun, Paths.RouterSnapshotFileName));
        Assert.Contains("\"epoch\":2", saved, StringComparison.Ordinal);

        // Newer: an empty snapshot removes the app.
        Assert.True((await SendAsync(new RouterRequest(RouterOperations.Snapshot) { Snapshot = Snapshot(2, 2) })).Applied);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(port, "web.localhost")).Status);
    }

    [Fact]
    public async Task SecondRouterOnTheSameDataRoot_IsRefused_WhileTheFirstAnswers()
    {
        await using var host = await StartAsync();
        var error = await Assert.ThrowsAsync<Nuage.Core.Errors.NuageException>(() => StartAsync());
        Assert.Contains($"pid {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AccessRecords_AreSpooledAsSegments_TheSpoolIsBounded_AndDropsAreCountedThenSpooled()
    {
        var spool = Paths.RouterSpool;
        using var writer = new RouterSpool(spool, 600, TimeProvider.System);
        for (var i = 0; i < 20; i++)
        {
            writer.Write(Access($"/{i}"));
        }

        var dropped = writer.Dropped;
        Assert.InRange(dropped, 1, 19); // the first records fit in 600 bytes, not all 20
        writer.Rotate();
        var first = ReadSegments(spool, delete: true); // what the server does when it ingests
        Assert.Equal(20 - dropped, first.Count(l => l.Record is not null));
        Assert.Equal("method=GET path=/0 status=200 bytes=1 duration_ms=1", first[0].Record!.Message);

        // Room again: the drop count goes into the spool before the next record, so the server can count it.
        writer.Rotate();
        writer.Write(Access("/after"));
        writer.Rotate();
        var second = ReadSegments(spool, delete: false);
        Assert.Equal(dropped, second[0].Dropped);
        Assert.Equal("/after", second[1].Record!.Message.Split(' ')[1][5..]);
    }

    private static Core.Logging.LogRecord Access(string path) =>
        new(DateTimeOffset.UnixEpoch, "app-web", Core.Logging.LogSource.Access, $"method=GET path={path} status=200 bytes=1 duration_ms=1");

    private static List<SpoolLine> ReadSegments(string spool, bool delete)
    {
        using var folder = Core.FileSystem.BeneathDirectory.OpenRoot(spool)!;
        var lines = new List<SpoolLine>();
        foreach (var segment in RouterSpool.Segments(folder))
        {
            lines.AddRange(File.ReadAllLines(Path.Combine(spool, segment)).Select(l => System.Text.Json.JsonSerializer.Deserialize<SpoolLine>(l, RouterJson.Options)!));
            if (delete)
            {
                File.Delete(Path.Combine(spool, segment));
            }
        }

        return lines;
    }

    private async Task<RouterProcessHost> StartAsync(int port = 0) =>
        await RouterProcessHost.StartAsync(
            new RouterOptions { HttpEndpoints = [$"127.0.0.1:{port}"] }, Paths, NullLoggerFactory.Instance, TimeProvider.System, RouterProcessHost.DefaultSpoolBytes, CancellationToken.None);

    private async Task<RouterReply> SendAsync(RouterRequest request) =>
        (await new RouterControlClient(Paths.RouterSocket).SendAsync(request, TimeSpan.FromSeconds(30), CancellationToken.None)).Reply;

    internal static RouteSnapshot Snapshot(long epoch, long sequence, params AppRoute[] routes) => new(new SnapshotGeneration(epoch, sequence), routes, []);

    internal static AppRoute Route(string name, params InstanceEndpoint[] instances) => new($"app-{name}", name, RouteState.Serving, $"dep-{name}", instances);

    internal static async Task<(HttpStatusCode Status, string Body)> GetAsync(int port, string host)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
