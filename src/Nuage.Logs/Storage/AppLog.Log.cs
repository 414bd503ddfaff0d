using Microsoft.Extensions.Logging;

namespace Nuage.Logs.Storage;

internal sealed partial class AppLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "Log store write failed for app {AppId}; {Count} records not committed")]
    private static partial void LogWriteFailed(ILogger logger, string appId, int count, Exception exception);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Retention removed {Count} records of app {AppId}")]
    private static partial void LogRetention(ILogger logger, string appId, int count);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "Retention failed for app {AppId}")]
    private static partial void LogRetentionFailed(ILogger logger, string appId, Exception exception);
}
