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

    /// <summary>ACME accounts and the certificate state of domains (migration 9).</summary>
    IAcmeStore Acme { get; }

    /// <summary>Per-app request-flow settings (migration 9).</summary>
    IFlowStore Flows { get; }
    IUsageStore Usage { get; }

    IBudgetStore Budgets { get; }
    IOidcStore Oidc { get; }

    /// <summary>Per-app autoscaling policies (migration "autoscale").</summary>
    IAutoscaleStore Autoscale { get; }
}
