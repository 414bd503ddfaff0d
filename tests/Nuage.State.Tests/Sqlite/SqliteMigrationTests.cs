using Microsoft.Data.Sqlite;
using Nuage.Core.Apps;
using Nuage.Core.State;
using Nuage.State.Sqlite;

namespace Nuage.State.Tests.Sqlite;

public sealed class SqliteMigrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nuage-state-").FullName;

    [Fact]
    public void FreshDatabase_ReachesLatestVersion_InWalMode()
    {
        var store = SqliteStateStore.Open(Path.Combine(_dir, "nuage.db"));

        Assert.Equal(SqliteMigrations.Latest, store.SchemaVersion);
        Assert.Equal("wal", Scalar("PRAGMA journal_mode;"));
    }

    public static TheoryData<int> EarlierVersions()
    {
        var data = new TheoryData<int>();
        for (var v = 1; v < SqliteMigrations.Latest; v++)
        {
            data.Add(v);
        }

        data.Add(0);
        return data;
    }

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public async Task DatabaseAtEarlierVersion_UpgradesToLatest_KeepingItsData(int version)
    {
        var path = Path.Combine(_dir, "nuage.db");
        SqliteStateStore.Open(path, migrateTo: version);
        if (version >= 1)
        {
            // Seed with SQL of that version's schema: the current store code may not match it.
            Execute(
                "INSERT INTO apps (id, name, runtime, flavor, instances, running, current_deployment_id, created_at) " +
                "VALUES ('app_0123456789abcdef', 'kept', 'node', 'nano', 2, 1, NULL, '2026-11-27T10:00:00.0000000Z');");
        }

        var upgraded = SqliteStateStore.Open(path);

        Assert.Equal(SqliteMigrations.Latest, upgraded.SchemaVersion);
        if (version >= 1)
        {
            var app = await upgraded.Apps.FindByNameAsync("kept", CancellationToken.None);
            Assert.Equal(SampleApp(), app);

            // The tables of later migrations work on the upgraded data.
            var domain = new DomainRecord { Domain = "www.kept.test", AppId = app!.Id, CreatedAt = app.CreatedAt };
            Assert.True(await upgraded.Domains.UpsertAsync(domain, CancellationToken.None));
            Assert.Equal(domain, await upgraded.Domains.FindAsync("www.kept.test", CancellationToken.None));
            var drain = new DrainRecord { Id = "drain-kept", AppId = app.Id, AppName = "kept", Type = "syslog-tcp", Url = "tcp://logs.example.com:6514", CreatedAt = app.CreatedAt };
            Assert.True(await upgraded.Drains.InsertAsync(drain, CancellationToken.None));
            Assert.Equal([drain], await upgraded.Drains.ListAsync(app.Id, CancellationToken.None));
        }
    }

    [Fact]
    public void DatabaseFromNewerNuage_IsRefusedWithTheFix()
    {
        var path = Path.Combine(_dir, "nuage.db");
        SqliteStateStore.Open(path);
        Execute($"PRAGMA user_version = {SqliteMigrations.Latest + 1};");

        var error = Assert.Throws<InvalidOperationException>(() => SqliteStateStore.Open(path));
        Assert.Contains("Upgrade nuage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddonsAtVersion6_GetTheDefaultBackupSchedule_AndBackupsAreMarkedOnDemand()
    {
        var path = Path.Combine(_dir, "nuage.db");
        SqliteStateStore.Open(path, migrateTo: 6);
        Execute(
            "INSERT INTO addons (id, name, type, version, plan, uid_index, username, database_name, sealed_password, created_at) " +
            "VALUES ('addon_1', 'shop-db', 'postgresql', '15', 'xs', 0, 'u1', 'shop_db', x'01', '2026-11-27T10:00:00.0000000Z');" +
            "INSERT INTO addon_backups (id, addon_id, file, size_bytes, sha256, created_at) VALUES ('bk1', 'addon_1', 'bk1.pgdump', 10, 'ab', '2026-11-27T10:00:00.0000000Z');");

        var upgraded = SqliteStateStore.Open(path);

        var addon = (await upgraded.Addons.FindByNameAsync("shop-db", CancellationToken.None))!;
        Assert.Equal(("daily@03:00", 7), (addon.BackupSchedule, addon.BackupRetention));
        Assert.False(Assert.Single(await upgraded.Addons.ListBackupsAsync("addon_1", CancellationToken.None)).Scheduled);
        Assert.Null(await upgraded.Addons.FindBackupRunAsync("addon_1", CancellationToken.None));
        var run = new AddonBackupRunRecord("addon_1", addon.CreatedAt.AddHours(17)) { LastError = "boom", Failures = 2 };
        await upgraded.Addons.SaveBackupRunAsync(run, CancellationToken.None);
        Assert.Equal(run, await upgraded.Addons.FindBackupRunAsync("addon_1", CancellationToken.None));
        await upgraded.Addons.SaveBackupPolicyAsync("addon_1", "every 6h", 3, CancellationToken.None);
        Assert.Null(await upgraded.Addons.FindBackupRunAsync("addon_1", CancellationToken.None)); // replanned from the new schedule
        var changed = (await upgraded.Addons.FindByNameAsync("shop-db", CancellationToken.None))!;
        Assert.Equal(("every 6h", 3), (changed.BackupSchedule, changed.BackupRetention));
    }

    [Fact]
    public void Migrations_AreAppendOnly_PinnedByTheirCount()
    {
        // Editing a released migration breaks upgrades of existing databases: add a new one instead,
        // then raise this number.
        Assert.Equal(13, SqliteMigrations.Latest);
    }

    [Fact]
    public async Task SingleOrganisationInstall_MovesIntoTheDefaultOrganisation_AdminTokensBecomeOperators()
    {
        // A database created by the version before organisations existed, with an app and its tokens.
        var path = Path.Combine(_dir, "nuage.db");
        SqliteStateStore.Open(path, migrateTo: 4);
        Execute(
            "INSERT INTO apps (id, name, runtime, flavor, instances, running, current_deployment_id, created_at) " +
            "VALUES ('app_0123456789abcdef', 'kept', 'node', 'nano', 2, 1, NULL, '2026-11-27T10:00:00.0000000Z');" +
            "INSERT INTO tokens (id, secret_hash, role, description, created_at) VALUES " +
            "('tok_admin', 'h1', 'Admin', 'initial admin token', '2026-11-27T10:00:00.0000000Z'), " +
            "('tok_dev', 'h2', 'Developer', 'ci', '2026-11-27T10:00:00.0000000Z'), " +
            "('tok_view', 'h3', 'Viewer', 'dashboard', '2026-11-27T10:00:00.0000000Z');");

        var upgraded = SqliteStateStore.Open(path);

        var org = await upgraded.Orgs.FindByNameAsync(Core.Orgs.OrgNames.Default, CancellationToken.None);
        Assert.Equal(Core.Orgs.OrgNames.DefaultId, org?.Id);
        Assert.Equal(org!.Id, (await upgraded.Apps.FindByNameAsync("kept", CancellationToken.None))!.OrgId);
        Assert.Equal(["kept"], (await upgraded.Apps.ListInOrgAsync(org.Id, null, 10, CancellationToken.None)).Select(a => a.Name));
        var admin = await upgraded.Tokens.FindByHashAsync("h1", CancellationToken.None);
        Assert.True(admin!.IsOperator);
        Assert.Null(admin.OrgId);
        var developer = await upgraded.Tokens.FindByHashAsync("h2", CancellationToken.None);
        Assert.Equal((false, org.Id, Core.Auth.Role.Developer, (string?)null), (developer!.IsOperator, developer.OrgId, developer.Role, developer.UserId));
        Assert.Equal(org.Id, (await upgraded.Tokens.FindByHashAsync("h3", CancellationToken.None))!.OrgId);
        Assert.Null(await upgraded.Audit.LastAsync(CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static AppConfig SampleApp() => new()
    {
        Id = "app_0123456789abcdef",
        Name = "kept",
        Runtime = Runtimes.Node,
        Flavor = "nano",
        Instances = 2,
        CreatedAt = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
    };

    private string? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, "nuage.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    private void Execute(string sql) => Scalar(sql);
}
