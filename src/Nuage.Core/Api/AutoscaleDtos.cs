namespace Nuage.Core.Api;

/// <summary>
/// Body of <c>PUT /v1/apps/{app}/autoscale</c>: the app's autoscaling policy (docs/autoscaling.md). Min = max is a
/// fixed count; at least one target otherwise.
/// </summary>
public sealed record AutoscaleRequest
{
    public int? MinInstances { get; init; }

    public int? MaxInstances { get; init; }

    /// <summary>Smallest flavor a vertical move may pick (with <see cref="MaxFlavor"/>; docs/autoscaling.md, "Vertical moves").</summary>
    public string? MinFlavor { get; init; }

    public string? MaxFlavor { get; init; }

    /// <summary>Average CPU per instance, in percent of its flavor's CPU share (1–100).</summary>
    public double? TargetCpu { get; init; }

    /// <summary>Requests per second per instance (0.1–100000).</summary>
    public double? TargetRps { get; init; }

    /// <summary>The app's p99 latency in milliseconds (1–600000).</summary>
    public double? TargetP99Ms { get; init; }
}

/// <summary>An app's autoscaling policy, its current size and the autoscaler's last decisions.</summary>
public sealed record AutoscaleDto
{
    public required string App { get; init; }

    /// <summary>False when the app has no policy (manual <c>nuage scale --instances</c>).</summary>
    public required bool Enabled { get; init; }

    public int? MinInstances { get; init; }

    public int? MaxInstances { get; init; }

    public string? MinFlavor { get; init; }

    public string? MaxFlavor { get; init; }

    public double? TargetCpu { get; init; }

    public double? TargetRps { get; init; }

    public double? TargetP99Ms { get; init; }

    /// <summary>The app's desired instance count now.</summary>
    public required int Instances { get; init; }

    public required string Flavor { get; init; }

    /// <summary>Warnings given when the policy was set (e.g. the spending ceiling cannot pay for max-instances).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The autoscaler's latest decisions, newest first (since this server started).</summary>
    public IReadOnlyList<AutoscaleDecisionDto> Decisions { get; init; } = [];
}

/// <summary>
/// One autoscaler decision: hold, scale-out, scale-in, a failed scale-out, resize-up, resize-down or a failed resize,
/// with its reason. From/To are instance counts; a resize also names its flavors.
/// </summary>
public sealed record AutoscaleDecisionDto(DateTimeOffset At, string Action, int From, int To, string Reason)
{
    /// <summary>The flavor before a resize (null for other decisions).</summary>
    public string? FromFlavor { get; init; }

    /// <summary>The flavor a resize moved (or tried to move) to.</summary>
    public string? ToFlavor { get; init; }
}
