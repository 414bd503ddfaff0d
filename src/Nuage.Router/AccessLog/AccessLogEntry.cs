namespace Nuage.Router.AccessLog;

/// <summary>What the hot path records about one request; formatted into a log line off the hot path.</summary>
internal readonly record struct AccessLogEntry(
    DateTimeOffset Time,
    string AppId,
    string? InstanceId,
    string? DeploymentId,
    string Method,
    string Path,
    int Status,
    long Bytes,
    double DurationMs,
    string RequestId,
    string? TraceParent);
