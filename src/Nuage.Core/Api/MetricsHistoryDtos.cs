namespace Nuage.Core.Api;

/// <summary>
/// <c>GET /v1/metrics/history?app=NAME</c>: the app's counters sampled by the server every
/// <see cref="IntervalSeconds"/> over the last hour (since the server started, if later). Rates come from the
/// difference of two consecutive points.
/// </summary>
public sealed record MetricsHistoryDto(string App, int IntervalSeconds, IReadOnlyList<MetricsPointDto> Points);

/// <summary>One sample: the cumulative counters and the instances' usage at <see cref="Time"/>.</summary>
public sealed record MetricsPointDto(
    DateTimeOffset Time,
    long Requests,
    long Errors5xx,
    double? P50Seconds,
    double? P99Seconds,
    IReadOnlyList<InstanceMetricsDto> Instances);
