using Microsoft.Data.Sqlite;
using Nuage.Core.Logging;
using Nuage.Logs.Drains;
using Nuage.Logs.Storage;
using Nuage.Logs.Tests.Support;

namespace Nuage.Logs.Tests.Drains;

/// <summary>Installs from before the move kept drains in logs/drains.db: the first start imports them once.</summary>
public sealed class LegacyDrainsImportTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private LogStore _store = null!;

    private string LegacyFile => Path.Combine(_dir.Sub("store"), "drains.db");

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

    /// <summary>drains.db exactly as the old DrainRepository created and filled it (schema copied from that code).</summary>
    private void CreateLegacyDatabase(int udpPort)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = LegacyFile, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS drains(
                id TEXT PRIMARY KEY, app TEXT NOT NULL, app_name TEXT NOT NULL, type TEXT NOT NULL, url TEXT NOT NULL,
                username TEXT, password TEXT, token TEXT, sd_params TEXT, enabled INTEGER NOT NULL, created INTEGER NOT NULL,
                cursor INTEGER NOT NULL, delivered INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0,
                missed INTEGER NOT NULL DEFAULT 0, last_error TEXT, last_error_at INTEGER, last_delivery_at INTEGER);
            INSERT INTO drains(id, app, app_name, type, url, username, password, token, sd_params, enabled, created, cursor, delivered, last_error, last_error_at)
            VALUES ('drain-legacy01', 'shop', 'shop-front', 'syslog-udp', 'udp://127.0.0.1:{udpPort}', NULL, NULL, NULL, 'env="prod"', 1, {new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).UtcTicks}, 2, 2, 'old error', {DateTimeOffset.UnixEpoch.UtcTicks});
            INSERT INTO drains(id, app, app_name, type, url, username, password, token, sd_params, enabled, created, cursor)
            VALUES ('drain-legacy02', 'shop', 'shop', 'http', 'http://127.0.0.1:9/in', 'u', 'sealed-password-as-stored', NULL, NULL, 0, {DateTimeOffset.UnixEpoch.UtcTicks}, 0);
            """;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task Start_WithLegacyDrainsDb_ImportsDefinitionsAndCursorsOnceThenRenamesIt()
    {
        using var receiver = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        for (var i = 1; i <= 3; i++)
        {
            _store.Sink.Write(new LogRecord(default, "shop", LogSource.App, $"line {i}"));
        }

        await Wait.UntilAsync(() => Task.FromResult(_store.Get("shop").LastSequence == 3), "3 stored lines");
        CreateLegacyDatabase(port);
        var definitions = DrainDefinitions.Open(_dir);

        await using (var drains = new DrainManager(_store, definitions, new DrainOptions { AllowPrivateDestinations = true }))
        {
            await drains.StartAsync();

            // The cursor came along: the drain resumes after line 2, so line 3 is the first datagram.
            var datagram = await receiver.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.EndsWith("line 3", System.Text.Encoding.UTF8.GetString(datagram.Buffer), StringComparison.Ordinal);
            var list = await drains.ListAsync("shop");
            Assert.Equal(["drain-legacy02", "drain-legacy01"], list.Select(d => d.Drain.Id));
            var disabled = list[0];
            Assert.Equal(DrainStates.Disabled, disabled.State);
            Assert.Equal("u", disabled.Drain.Username);
            Assert.Equal("***", disabled.Drain.Password);
            var udp = list[1];
            Assert.Equal("shop-front", udp.Drain.AppName);
            Assert.Equal("env=\"prod\"", udp.Drain.SdParams);
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), udp.Drain.CreatedAt);
            await Wait.UntilAsync(async () => (await drains.GetAsync("shop", "drain-legacy01")).Delivered == 3, "delivered 2 + 1");
        }

        var stored = await definitions.ListAsync("shop", default);
        Assert.Equal("sealed-password-as-stored", stored.Single(d => d.Id == "drain-legacy02").SealedPassword);
        Assert.False(File.Exists(LegacyFile));
        Assert.True(File.Exists(LegacyFile + ".migrated"));

        // A second start finds no legacy file and changes nothing.
        await using (var again = new DrainManager(_store, definitions, new DrainOptions { AllowPrivateDestinations = true }))
        {
            await again.StartAsync();
            Assert.Equal(2, (await again.ListAsync("shop")).Count);
            Assert.Equal(3, (await again.GetAsync("shop", "drain-legacy01")).Delivered);
        }
    }
}
