using Nuage.Core.Apps;
using Nuage.Core.Auth;
using Nuage.Core.State;
using Nuage.State.Sqlite;

namespace Nuage.State.Tests.Sqlite;

public sealed class SqliteStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nuage-state-").FullName;
    private readonly SqliteStateStore _store;

    public SqliteStoreTests() => _store = SqliteStateStore.Open(Path.Combine(_dir, "nuage.db"));

    [Fact]
    public async Task App_WithTakenName_IsNotCreatedTwice()
    {
        Assert.True(await _store.Apps.TryCreateAsync(App("app_1", "demo"), default));
        Assert.False(await _store.Apps.TryCreateAsync(App("app_2", "demo"), default));
        Assert.Null(await _store.Apps.FindByIdAsync("app_2", default));
    }

    [Fact]
    public async Task DeletingApp_RemovesItsVariables()
    {
        await _store.Apps.TryCreateAsync(App("app_1", "demo"), default);
        await _store.Env.ApplyAsync("app_1", new Dictionary<string, byte[]> { ["A"] = [1, 2] }, [], default);

        Assert.True(await _store.Apps.DeleteAsync("app_1", default));
        Assert.Empty(await _store.Env.GetAllAsync("app_1", default));
        Assert.False(await _store.Apps.DeleteAsync("app_1", default));
    }

    [Fact]
    public async Task EnvReplace_SwapsTheWholeSet()
    {
        await _store.Apps.TryCreateAsync(App("app_1", "demo"), default);
        await _store.Env.ApplyAsync("app_1", new Dictionary<string, byte[]> { ["A"] = [1], ["B"] = [2] }, [], default);

        await _store.Env.ReplaceAsync("app_1", new Dictionary<string, byte[]> { ["C"] = [3] }, default);

        Assert.Equal(["C"], (await _store.Env.GetAllAsync("app_1", default)).Keys);
    }

    [Fact]
    public async Task Token_RevokedTwice_KeepsTheFirstRevocationTime()
    {
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await _store.Tokens.CreateAsync(new StoredToken("tok_1", "hash", Role.Developer, "ci", created, null, null), default);

        Assert.True(await _store.Tokens.RevokeAsync("tok_1", created.AddDays(1), default));
        Assert.True(await _store.Tokens.RevokeAsync("tok_1", created.AddDays(2), default));
        Assert.False(await _store.Tokens.RevokeAsync("tok_missing", created, default));

        var token = await _store.Tokens.FindByHashAsync("hash", default);
        Assert.Equal(created.AddDays(1), token!.RevokedAt);
        Assert.Equal(Role.Developer, token.Role);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Domain_OfAnotherApp_IsRefused_SameAppReplacesCertificate_AndDeletingTheAppRemovesIt()
    {
        await _store.Apps.TryCreateAsync(App("app_1", "one"), default);
        await _store.Apps.TryCreateAsync(App("app_2", "two"), default);
        var domain = new DomainRecord { Domain = "www.example.test", AppId = "app_1", CreatedAt = DateTimeOffset.UnixEpoch };
        Assert.True(await _store.Domains.UpsertAsync(domain, default));

        Assert.False(await _store.Domains.UpsertAsync(domain with { AppId = "app_2", CertificatePem = "x" }, default));
        Assert.Equal("app_1", (await _store.Domains.FindAsync("www.example.test", default))!.AppId);
        Assert.Null((await _store.Domains.FindAsync("www.example.test", default))!.CertificatePem);

        Assert.True(await _store.Domains.UpsertAsync(domain with { CertificatePem = "pem", SealedKey = [1, 2] }, default));
        var stored = (await _store.Domains.ListAsync("app_1", default)).Single();
        Assert.Equal("pem", stored.CertificatePem);
        Assert.Equal([1, 2], stored.SealedKey);
        Assert.Empty(await _store.Domains.ListAsync("app_2", default));

        Assert.False(await _store.Domains.DeleteAsync("app_2", "www.example.test", default));
        await _store.Apps.DeleteAsync("app_1", default);
        Assert.Empty(await _store.Domains.ListAsync(null, default));
    }

    private static AppConfig App(string id, string name) => new()
    {
        Id = id,
        Name = name,
        Runtime = Runtimes.Static,
        Flavor = "nano",
        Instances = 1,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
