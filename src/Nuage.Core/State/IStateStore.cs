namespace Nuage.Core.State;

/// <summary>
/// The desired state of the platform. One implementation per engine (SQLite by default, PostgreSQL to scale);
/// callers depend only on these interfaces.
/// </summary>
public interface IStateStore
{
    IAppStore Apps { get; }

    IEnvStore Env { get; }

    ITokenStore Tokens { get; }

    IDeploymentStore Deployments { get; }

    IInstanceStore Instances { get; }

    IDomainStore Domains { get; }

    IDrainStore Drains { get; }

    IAddonStore Addons { get; }
    IOrgStore Orgs { get; }

    IAuditStore Audit { get; }

    IOidcStore Oidc { get; }
}
