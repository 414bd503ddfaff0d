using Nuage.Core.State;
using Nuage.State.Sqlite;

namespace Nuage.State.Tests.Sqlite;

public sealed class SqliteDrainStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nuage-state-").FullName;

    private static DrainRecord Drain(string id, string app, DateTimeOffset created) => new()
    {
        Id = id, AppId = app, AppName = app, Type = "http", Url = "https://logs.example.com/in", Username = "u",
        SealedPassword = "sealed1:abc", SdParams = null, CreatedAt = created,
    };

    [Fact]
    public async Task Drains_InsertTwiceListEnableDelete_ByApp()
    {
        var store = SqliteStateStore.Open(Path.Combine(_dir, "nuage.db")).Drains;
        var t0 = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
        var first = Drain("drain-a", "app_1", t0);

        Assert.True(await store.InsertAsync(first, default));
        Assert.False(await store.InsertAsync(first with { Url = "https://other.example.com/" }, default));
        Assert.True(await store.InsertAsync(Drain("drain-b", "app_1", t0.AddMinutes(1)), default));
        Assert.True(await store.InsertAsync(Drain("drain-c", "app_2", t0), default));

        Assert.Equal([first, Drain("drain-b", "app_1", t0.AddMinutes(1))], await store.ListAsync("app_1", default));
        Assert.Equal(3, (await store.ListAsync(null, default)).Count);
        Assert.True(await store.SetEnabledAsync("app_1", "drain-a", false, default));
        Assert.False(await store.SetEnabledAsync("app_2", "drain-a", false, default));
        Assert.False((await store.ListAsync("app_1", default))[0].Enabled);
        Assert.False(await store.DeleteAsync("app_2", "drain-a", default));
        Assert.True(await store.DeleteAsync("app_1", "drain-a", default));
        Assert.Equal(["drain-b"], (await store.ListAsync("app_1", default)).Select(d => d.Id));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
