namespace Nuage.Core.Api;

/// <summary>One stored log line as the API shows it (<c>GET /v1/apps/{app}/logs</c> and the SSE stream).</summary>
public sealed record LogLineDto
{
    /// <summary>The app's log sequence number: the position to resume from (<c>after</c>, SSE <c>Last-Event-ID</c>).</summary>
    public long Seq { get; init; }

    public DateTimeOffset Time { get; init; }

    /// <summary>app, build, access or platform.</summary>
    public required string Source { get; init; }

    public string? Instance { get; init; }

    public string? Deployment { get; init; }

    /// <summary>stdout or stderr, when known.</summary>
    public string? Stream { get; init; }

    public string? TraceId { get; init; }

    public required string Message { get; init; }
}

/// <summary>Body of <c>POST /v1/apps/{app}/drains</c>.</summary>
public sealed record CreateDrainRequest
{
    public string? Type { get; init; }

    public string? Url { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? Token { get; init; }

    public string? SdParams { get; init; }
}

/// <summary>A drain and its delivery state. Credentials are never returned, only whether they are set.</summary>
public sealed record DrainDto
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public required string Url { get; init; }

    public bool Enabled { get; init; }

    /// <summary>ok, failing (last attempt failed, retrying), stalled (lines waiting, none delivered for a while) or disabled.</summary>
    public string State { get; init; } = "ok";

    public string? Username { get; init; }

    public bool HasPassword { get; init; }

    public bool HasToken { get; init; }

    public string? SdParams { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public long Delivered { get; init; }

    public long Backlog { get; init; }

    public long Skipped { get; init; }

    public long Missed { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    public DateTimeOffset? LastDeliveryAt { get; init; }
}

/// <summary>The short current view of <c>nuage metrics</c> (<c>GET /v1/metrics/summary</c>).</summary>
public sealed record MetricsSummaryDto
{
    public required IReadOnlyList<AppMetricsDto> Apps { get; init; }

    public long LogLinesIngested { get; init; }

    public long LogLinesDropped { get; init; }
}

/// <summary>One app's requests and instances since the server started.</summary>
public sealed record AppMetricsDto
{
    public required string App { get; init; }

    public long Requests { get; init; }

    public long Errors5xx { get; init; }

    /// <summary>Share of requests answered 5xx (0 to 1), null without requests.</summary>
    public double? ErrorRate { get; init; }

    /// <summary>Latency quantiles estimated from the router's histogram buckets (upper bucket bound), in seconds.</summary>
    public double? P50Seconds { get; init; }

    public double? P99Seconds { get; init; }

    public required IReadOnlyList<InstanceMetricsDto> Instances { get; init; }
}

public sealed record InstanceMetricsDto
{
    public required string Instance { get; init; }

    public required string Status { get; init; }

    public int Restarts { get; init; }

    public double CpuSeconds { get; init; }

    public long MemoryBytes { get; init; }

    public long MemoryLimitBytes { get; init; }
}
