using System.Globalization;
using Nuage.Core.Errors;

namespace Nuage.Server.Deployments;

/// <summary>Deployment settings; every default is here, each set by one <c>nuage server</c> flag.</summary>
public sealed record DeploymentOptions
{
    public const string MaxConcurrentFlag = "--max-concurrent-deployments";
    public const string KeepReleasesFlag = "--keep-releases";
    public const string HealthTimeoutFlag = "--health-timeout-seconds";
    public const string DrainTimeoutFlag = "--drain-timeout-seconds";
    public const string StopTimeoutFlag = "--stop-timeout-seconds";

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

    /// <summary>One error per bad option, naming its flag, the value and what is accepted.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        AtLeast(errors, MaxConcurrentFlag, MaxConcurrent, 1);
        AtLeast(errors, KeepReleasesFlag, KeepReleases, 1);
        AtLeast(errors, HealthTimeoutFlag, (int)HealthTimeout.TotalSeconds, 1);
        AtLeast(errors, DrainTimeoutFlag, (int)DrainTimeout.TotalSeconds, 0);
        AtLeast(errors, StopTimeoutFlag, (int)StopTimeout.TotalSeconds, 1);
        return errors;
    }

    private static void AtLeast(List<FieldError> errors, string flag, int value, int min)
    {
        if (value < min)
        {
            errors.Add(new FieldError(flag, value.ToString(CultureInfo.InvariantCulture), $"use a whole number of at least {min}"));
        }
    }
}
