using Nuage.Tests.Shared;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Nuage.Core.Logging;
using Nuage.Logs.Drains;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Drains;

/// <summary>The http drain against a real nginx that keeps each body and can answer 503.</summary>
public sealed class HttpDrainTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private NginxPeer _nginx = null!;

    public async Task InitializeAsync() => _nginx = await NginxPeer.StartAsync(_dir.Sub("nginx"));

    public async Task DisposeAsync()
    {
        await _nginx.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Drain_WhenReceiverAnswers503ThenRecovers_PostsGzipNdjsonWithBasicAuthInOrder()
    {
        File.WriteAllText(_nginx.DownFlag, "");
        await using var store = new LogStore(new LogStoreOptions { Directory = _dir.Sub("store") });
        await using var drains = new DrainManager(store, DrainDefinitions.Open(_dir), new DrainOptions
        {
            AllowPrivateDestinations = true,
            InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200), BatchSize = 3,
        });
        var drain = await drains.CreateAsync(new DrainSpec
        {
            AppId = "shop", Type = DrainTypes.Http, Url = $"http://127.0.0.1:{_nginx.Port}/drain", Username = "ingest", Password = "pw",
        });
        for (var i = 1; i <= 7; i++)
        {
            store.Sink.Write(new LogRecord(default, "shop", LogSource.App, $"line {i}", "web-1", "dep-1", "stdout"));
        }

        await store.FlushAsync("shop");
        DrainStatus status = null!;
        await Wait.UntilAsync(async () => (status = await drains.GetAsync("shop", drain.Id)).LastError is not null, "a 503");
        Assert.Contains("503", status.LastError, StringComparison.Ordinal);
        Assert.Equal(0, status.Delivered);

        File.Delete(_nginx.DownFlag);
        await Wait.UntilAsync(async () => (status = await drains.GetAsync("shop", drain.Id)).Backlog == 0, "delivery after recovery");

        var requests = _nginx.Requests().Where(r => r[4] == "200").ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ingest:pw")), r[1]);
            Assert.Equal("gzip", r[2]);
            Assert.Equal("application/x-ndjson", r[3]);
        });
        var messages = new List<string>();
        foreach (var request in requests)
        {
            using var gzip = new GZipStream(File.OpenRead(request[0]), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            foreach (var line in (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(line);
                Assert.Equal("shop", doc.RootElement.GetProperty("app").GetString());
                Assert.Equal("web-1", doc.RootElement.GetProperty("instance").GetString());
                messages.Add(doc.RootElement.GetProperty("message").GetString()!);
            }
        }

        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"line {i}"), messages);
        Assert.Equal(7, status.Delivered);
    }
}
