using Microsoft.Extensions.Logging;

namespace Nuage.Router;

/// <summary>All router log messages; event ids 5300-5399.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, Message = "Router listening on {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "The access-log sink threw; the record was dropped")]
    public static partial void AccessLogSinkFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "Published route for app {AppId}: deployment {DeploymentId}, {InstanceCount} instance(s), state {State}")]
    public static partial void Published(ILogger logger, string appId, string? deploymentId, int instanceCount, RouteState state);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Instance {InstanceId} of app {AppId} refused a connection; ejected until a probe succeeds")]
    public static partial void Ejected(ILogger logger, string instanceId, string appId, Exception? exception);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Information, Message = "Instance {InstanceId} passed its probe; re-admitted")]
    public static partial void Readmitted(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Information, Message = "Drained {Count} instance(s) in {ElapsedMs} ms; {Aborted} request(s) aborted at the timeout")]
    public static partial void Drained(ILogger logger, int count, long elapsedMs, int aborted);

    [LoggerMessage(EventId = 5306, Level = LogLevel.Debug, Message = "Forwarding to {InstanceId} failed with {Error}; retrying on another instance")]
    public static partial void Retrying(ILogger logger, string instanceId, string error);

    [LoggerMessage(EventId = 5307, Level = LogLevel.Information, Message = "Removed route of app {AppId}")]
    public static partial void Removed(ILogger logger, string appId);

    [LoggerMessage(EventId = 5308, Level = LogLevel.Information, Message = "Applied route snapshot {Generation}: {RouteCount} route(s)")]
    public static partial void SnapshotApplied(ILogger logger, string generation, int routeCount);

    [LoggerMessage(EventId = 5309, Level = LogLevel.Warning, Message = "Route of app {AppId} in the snapshot was skipped: {Error}")]
    public static partial void SnapshotRouteSkipped(ILogger logger, string appId, string error);

    [LoggerMessage(EventId = 5310, Level = LogLevel.Warning, Message = "Certificate of {Domain} in the snapshot was skipped: {Error}")]
    public static partial void SnapshotCertificateSkipped(ILogger logger, string domain, string error);
}
