using Nuage.Core.Routing;

namespace Nuage.Router;

/// <summary>Result of one health check of one instance.</summary>
/// <param name="InstanceId">Instance checked.</param>
/// <param name="Healthy">True when every check passed.</param>
/// <param name="Check">The check that failed, e.g. <c>GET /health</c> or <c>TCP 127.0.0.1:5000</c> (null when healthy).</param>
/// <param name="Reason">Why it failed, e.g. <c>answered 500</c> or <c>connection refused</c> (null when healthy).</param>
public sealed record HealthCheckResult(string InstanceId, bool Healthy, string? Check = null, string? Reason = null)
{
    /// <summary>One line for a deployment's failure reason.</summary>
    public override string ToString() =>
        Healthy ? $"instance {InstanceId} healthy" : $"instance {InstanceId}: {Check} {Reason}";
}

/// <summary>Result of <see cref="HealthChecker.WaitHealthyAsync"/>: healthy when every instance passed before the timeout.</summary>
public sealed record HealthReport(bool Healthy, IReadOnlyList<HealthCheckResult> Results, TimeSpan Elapsed)
{
    /// <summary>Instances that never passed, with their last failing check.</summary>
    public IEnumerable<HealthCheckResult> Failures => Results.Where(r => !r.Healthy);

    /// <summary>A reason fit for a deployment's failure, e.g. <c>health check failed after 30s: instance i-1: GET /health answered 500</c>.</summary>
    public string Describe() =>
        Healthy
            ? "all instances healthy"
            : $"health check failed after {Elapsed.TotalSeconds:0.#}s: {string.Join("; ", Failures)}";

    internal static HealthReport From(IReadOnlyList<InstanceEndpoint> instances, IReadOnlyList<HealthCheckResult> results, TimeSpan elapsed) =>
        new(results.Count == instances.Count && results.All(r => r.Healthy), results, elapsed);
}
