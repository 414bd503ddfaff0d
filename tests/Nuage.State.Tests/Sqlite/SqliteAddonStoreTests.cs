using Nuage.Core.State;
using Nuage.State.Sqlite;

namespace Nuage.State.Tests.Sqlite;

public sealed class SqliteAddonStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nuage-state-").FullName;

    [Fact]
    public async Task Addons_GetIncreasingUidIndexes_NamesAreUnique_AndDeleteCascadesToLinksAndBackups()
    {
        var store = SqliteStateStore.Open(Path.Combine(_dir, "nuage.db")).Addons;
        Assert.True(await store.TryCreateAsync(Record("a1", "db-one"), CancellationToken.None));
        Assert.True(await store.TryCreateAsync(Record("a2", "db-two"), CancellationToken.None));
        Assert.False(await store.TryCreateAsync(Record("a3", "db-one"), CancellationToken.None));

        var one = (await store.FindByNameAsync("db-one", CancellationToken.None))!;
        var two = (await store.FindByNameAsync("db-two", CancellationToken.None))!;
        Assert.Equal([0, 1], new[] { one.UidIndex, two.UidIndex });
        Assert.Equal([1, 2, 3], one.SealedPassword);

        Assert.True(await store.LinkAsync("a1", "app_x", DateTimeOffset.UnixEpoch, CancellationToken.None));
        Assert.False(await store.LinkAsync("a1", "app_x", DateTimeOffset.UnixEpoch, CancellationToken.None));
        Assert.True(await store.LinkAsync("a2", "app_x", DateTimeOffset.UnixEpoch, CancellationToken.None));
        Assert.Equal(2, (await store.ListLinksAsync(null, "app_x", CancellationToken.None)).Count);
        await store.SaveBackupAsync(new AddonBackupRecord("bk1", "a1", "bk1.pgdump", 10, "ab", DateTimeOffset.UnixEpoch), CancellationToken.None);

        await store.SaveStateAsync("a1", "{}", "boom", CancellationToken.None);
        Assert.Equal("boom", (await store.FindByNameAsync("db-one", CancellationToken.None))!.LastError);

        Assert.True(await store.DeleteAsync("a1", CancellationToken.None));
        Assert.Equal("a2", Assert.Single(await store.ListLinksAsync(null, "app_x", CancellationToken.None)).AddonId);
        Assert.Empty(await store.ListBackupsAsync("a1", CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static AddonRecord Record(string id, string name) => new()
    {
        Id = id,
        Name = name,
        Type = "postgresql",
        Version = "15",
        Plan = "xs",
        Username = "u1",
        Database = "db",
        SealedPassword = [1, 2, 3],
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
