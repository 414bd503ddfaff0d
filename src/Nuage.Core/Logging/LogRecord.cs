namespace Nuage.Core.Logging;

/// <summary>One line of an app's unified log stream.</summary>
public sealed record LogRecord(
    DateTimeOffset Timestamp,
    string AppId,
    LogSource Source,
    string Message,
    string? InstanceId = null,
    string? DeploymentId = null,
    string? Stream = null,
    string? TraceId = null);
