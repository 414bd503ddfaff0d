using Microsoft.Data.Sqlite;
using Nuage.Core.State;

namespace Nuage.State.Sqlite;

/// <summary>The embedded default state store: one SQLite file in WAL mode.</summary>
public sealed class SqliteStateStore : IStateStore
{
    private readonly SqliteDb _db;

    private SqliteStateStore(SqliteDb db)
    {
        _db = db;
        Apps = new SqliteAppStore(db);
        Env = new SqliteEnvStore(db);
        Tokens = new SqliteTokenStore(db);
        Deployments = new SqliteDeploymentStore(db);
        Instances = new SqliteInstanceStore(db);
        Domains = new SqliteDomainStore(db);
        Drains = new SqliteDrainStore(db);
        Addons = new SqliteAddonStore(db);
        Orgs = new SqliteOrgStore(db);
        Audit = new SqliteAuditStore(db);
        Acme = new SqliteAcmeStore(db);
        Flows = new SqliteFlowStore(db);
        Usage = new SqliteUsageStore(db);
        Budgets = new SqliteBudgetStore(db);
        Oidc = new SqliteOidcStore(db);
        Autoscale = new SqliteAutoscaleStore(db);
    }

    public IAppStore Apps { get; }

    public IEnvStore Env { get; }

    public ITokenStore Tokens { get; }

    public IDeploymentStore Deployments { get; }

    public IInstanceStore Instances { get; }

    public IDomainStore Domains { get; }

    public IDrainStore Drains { get; }

    public IAddonStore Addons { get; }
    public IOrgStore Orgs { get; }

    public IAuditStore Audit { get; }

    public IAcmeStore Acme { get; }

    public IFlowStore Flows { get; }
    public IUsageStore Usage { get; }

    public IBudgetStore Budgets { get; }
    public IOidcStore Oidc { get; }

    public IAutoscaleStore Autoscale { get; }

    public int SchemaVersion => _db.ReadSchemaVersion();

    /// <summary>Opens (creating if needed) the database and brings its schema to the latest version.</summary>
    public static SqliteStateStore Open(string path, int? migrateTo = null)
    {
        var db = new SqliteDb(path);
        db.Migrate(migrateTo ?? SqliteMigrations.Latest);
        return new SqliteStateStore(db);
    }
}
