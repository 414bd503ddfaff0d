namespace Nuage.Server.Deployments;

/// <summary>Deployment settings; every default is here.</summary>
public sealed record DeploymentOptions
{
    /// <summary>Deployments of different apps that may run at once; more wait in line.</summary>
    public int MaxConcurrent { get; init; } = 2;

    /// <summary>Built releases kept per app for instant rollback (the serving one included).</summary>
    public int KeepReleases { get; init; } = 5;

    /// <summary>How long new instances have to pass their health check before the deployment is abandoned.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>In-flight requests to retired instances may finish within this; then they are stopped.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Graceful stop of retired instances: SIGTERM, then SIGKILL after this.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
