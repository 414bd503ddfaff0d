namespace Nuage.Core.Api;

/// <summary>Body of <c>POST /v1/apps/{app}/scale</c>: either or both.</summary>
public sealed record ScaleRequest
{
    public int? Instances { get; init; }

    public string? Flavor { get; init; }
}

/// <summary>One running (or recently failed) instance, for <c>nuage ps</c>.</summary>
public sealed record InstanceDto(
    string Id,
    int Number,
    string Kind,
    string Status,
    string DeploymentId,
    int Pid,
    int? Port,
    int Restarts,
    int? ExitCode,
    DateTimeOffset StartedAt,
    double? CpuSeconds,
    long? MemoryBytes,
    long? MemoryLimitBytes);

/// <summary>Result of an operation that may start a deployment (scale, restart, start).</summary>
public sealed record OperationDto(AppDto App, DeploymentDto? Deployment, string Summary);

/// <summary>Body of redeploy and rollback: which deployment's release to use (default: current / previous).</summary>
public sealed record ReleaseRequest
{
    public string? DeploymentId { get; init; }
}
