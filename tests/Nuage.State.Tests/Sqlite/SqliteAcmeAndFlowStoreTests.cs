using Nuage.Core.Apps;
using Nuage.Core.State;
using Nuage.State.Sqlite;

namespace Nuage.State.Tests.Sqlite;

/// <summary>Migration 9: ACME accounts and domain states, per-app flow documents.</summary>
public sealed class SqliteAcmeAndFlowStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("nuage-state-").FullName;

    [Fact]
    public async Task AcmeAccountAndDomainStates_RoundTrip_Replace_AndDelete()
    {
        var store = SqliteStateStore.Open(Path.Combine(_dir, "nuage.db")).Acme;
        var account = new AcmeAccountRecord { Directory = "https://ca.test/dir", Email = "ops@example.test", AccountUrl = "https://ca.test/acct/1", SealedKey = [1, 2, 3], CreatedAt = T0 };
        await store.SaveAccountAsync(account, default);
        var saved = await store.FindAccountAsync(account.Directory, default);
        Assert.Equal(account.AccountUrl, saved!.AccountUrl);
        Assert.Equal(account.SealedKey, saved.SealedKey);
        Assert.Null(await store.FindAccountAsync("https://other.test/dir", default));

        var pending = new AcmeDomainRecord { Domain = "b.example.test", Status = AcmeStatuses.Pending, NextAttemptAt = T0, UpdatedAt = T0 };
        await store.SaveDomainAsync(pending, default);
        await store.SaveDomainAsync(pending with { Domain = "a.example.test" }, default);
        var failed = pending with { Status = AcmeStatuses.Failed, Failures = 2, LastError = "connection refused [urn:ietf:params:acme:error:connection]", NextAttemptAt = T0.AddMinutes(10), NotAfter = T0.AddDays(90) };
        await store.SaveDomainAsync(failed, default);

        Assert.Equal(failed, await store.FindDomainAsync("b.example.test", default));
        Assert.Equal(["a.example.test", "b.example.test"], (await store.ListDomainsAsync(default)).Select(d => d.Domain));
        Assert.True(await store.DeleteDomainAsync("a.example.test", default));
        Assert.False(await store.DeleteDomainAsync("a.example.test", default));
    }

    [Fact]
    public async Task FlowDocuments_SaveReplaceListDelete_AndGoWithTheirApp()
    {
        var state = SqliteStateStore.Open(Path.Combine(_dir, "nuage.db"));
        Assert.True(await state.Apps.TryCreateAsync(new AppConfig { Id = "app_1", Name = "demo", Runtime = Runtimes.Static, Flavor = "nano", Instances = 1, CreatedAt = T0 }, default));
        await state.Flows.SaveAsync("app_1", "{\"compression\":true}", T0, default);
        await state.Flows.SaveAsync("app_1", "{\"forceHttps\":true}", T0, default);

        Assert.Equal("{\"forceHttps\":true}", await state.Flows.FindAsync("app_1", default));
        Assert.Equal(["app_1"], (await state.Flows.ListAsync(default)).Keys);
        Assert.True(await state.Flows.DeleteAsync("app_1", default));
        Assert.Null(await state.Flows.FindAsync("app_1", default));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
